namespace Fleet.Controller.Enrollment;

internal static class EnrollmentRegistration
{
    public static IServiceCollection AddEnrollment(this IServiceCollection services) => services.AddSingleton<Enroller>();

    public static void MapEnrollment(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<EnrollmentGrpcService>();
}

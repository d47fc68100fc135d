using Fleet.Contracts.V1;
using Grpc.Core;

namespace Fleet.Controller.Enrollment;

/// <summary>Anonymous except for the join token in the request.</summary>
internal sealed class EnrollmentGrpcService(Enroller enroller) : EnrollmentService.EnrollmentServiceBase
{
    public override Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context) =>
        enroller.EnrollAsync(request, context.CancellationToken);
}

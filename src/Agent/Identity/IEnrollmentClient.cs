using Fleet.Contracts.V1;

namespace Fleet.Agent.Identity;

/// <summary>Calls EnrollmentService; failures are thrown as <see cref="EnrollmentException"/>.</summary>
internal interface IEnrollmentClient
{
    Task<EnrollResponse> EnrollAsync(Uri controller, IReadOnlyList<string> caPins, EnrollRequest request, CancellationToken cancellationToken);
}

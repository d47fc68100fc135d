using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Core;

namespace Fleet.Agent.Identity;

internal sealed class GrpcEnrollmentClient(TimeProvider time) : IEnrollmentClient
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public async Task<EnrollResponse> EnrollAsync(Uri controller, IReadOnlyList<string> caPins, EnrollRequest request, CancellationToken cancellationToken)
    {
        // The join token goes out only over a connection whose CA matched a pin.
        var validator = new PinnedServerValidator(caPins);
        using var channel = PinnedChannel.Create(controller, validator, connectTimeout: TimeSpan.FromSeconds(10));
        var client = new EnrollmentService.EnrollmentServiceClient(channel);
        try
        {
            return await client.EnrollAsync(request, deadline: time.GetUtcNow().Add(CallTimeout).UtcDateTime, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EnrollmentException(EnrollmentErrors.Describe(ex, controller, validator.LastFailure), ex);
        }
    }
}

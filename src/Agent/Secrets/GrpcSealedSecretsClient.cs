using Fleet.Agent.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Secrets;

internal sealed class GrpcSealedSecretsClient(ControllerChannel channel, TimeProvider time) : ISealedSecretsClient
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<SealedCopy>> GetAsync(string app, string environment, IEnumerable<SecretReference> secrets, CancellationToken cancellationToken)
    {
        using var lease = channel.Acquire();
        var response = await lease.Client.GetSealedSecretsAsync(
            new GetSealedSecretsRequest { App = app, Environment = environment, Secrets = { secrets } },
            deadline: time.GetUtcNow().Add(CallTimeout).UtcDateTime,
            cancellationToken: cancellationToken);
        return response.Copies;
    }
}

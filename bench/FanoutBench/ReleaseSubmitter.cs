using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Bench.Fanout;

/// <summary>The operator's side: a trust policy (staging: one key) and signed releases of one app, strategy all.</summary>
internal sealed class ReleaseSubmitter(GrpcChannel channel, Metadata admin, OperatorKey key)
{
    public const string Environment = "staging";

    private const string Image = "127.0.0.1:5000/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public async Task SetTrustPolicyAsync()
    {
        var known = new OperatorKeyInfo(key.Name, key.KeyId, key.PublicKey);
        var policy = TrustPolicyBuilder.Build(1, [key.Name], 1, [new EnvironmentRuleSpec(Environment, [key.Name], 1)], [known]);
        await new TrustService.TrustServiceClient(channel).SetTrustPolicyAsync(
            new SetTrustPolicyRequest { Envelope = ByteString.CopyFrom(policy.Sign([key]).ToJson()) }, admin);
    }

    /// <summary>The signed envelope of release <paramref name="sequence"/>, as an operator's CLI builds it before it submits.</summary>
    public byte[] Sign(long sequence)
    {
        var definition = new ReleaseDefinition
        {
            App = "shop",
            Services = [new ServiceSpec { Name = "web", Image = Image }],
            Strategy = new StrategySpec { Type = RolloutStrategyType.All },
            // Generous: the benchmark's hosts report healthy only once every host has the release.
            HealthyDeadline = TimeSpan.FromMinutes(10),
            MinHealthyTime = TimeSpan.FromSeconds(1),
        };
        return ReleaseManifest.Create(definition, Environment, sequence, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)).Sign([key]).ToJson();
    }

    /// <summary>Submits a signed release; returns its rollout id.</summary>
    public async Task<string> SubmitAsync(byte[] envelope)
    {
        var response = await new ReleasesService.ReleasesServiceClient(channel).SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(envelope) }, admin);
        return response.Rollout.RolloutId;
    }

    public async Task<bool> SucceededAsync(string rolloutId) =>
        (await new RolloutsService.RolloutsServiceClient(channel).GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId }, admin))
            .Rollout.State == RolloutState.Succeeded;
}

using CsCheck;
using Fleet.Controller.Releases;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Grpc.Core;

namespace Fleet.Controller.Tests.Releases;

/// <summary>
/// The controller rolls a release out exactly when an agent of its environment would admit it:
/// both run on the same random envelopes (signers, duplicates, environment, validity window,
/// created_at, pinned or not, a flipped payload byte) and must reach the same verdict.
/// </summary>
public sealed class AdmissionAgreementTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly OperatorKey[] _keys = [OperatorKey.Generate("alice"), OperatorKey.Generate("bob"), OperatorKey.Generate("carol"), OperatorKey.Generate("dave")];
    private readonly TrustPolicy _policy;

    public AdmissionAgreementTests()
    {
        var known = _keys[..3].Select(k => new OperatorKeyInfo(k.Name, k.KeyId, k.PublicKey)).ToList();
        _policy = TrustPolicyBuilder.Build(1, ["alice", "bob"], 2,
            [new EnvironmentRuleSpec("staging", ["alice", "bob", "carol"], 1), new EnvironmentRuleSpec("production", ["alice", "bob"], 2)],
            known, maxValidity: new Dictionary<string, TimeSpan> { ["production"] = TimeSpan.FromHours(12) });
    }

    [Fact]
    public void ControllerRollsOut_IffAgentAdmits_OnRandomEnvelopes()
    {
        var cases = Gen.Select(
            Gen.OneOf("staging", "production", "qa"),
            Gen.Int[0, 15],
            Gen.Bool,
            Gen.Int[-20_000, 20],
            Gen.Int[1, 12_000],
            Gen.Bool,
            Gen.Int[-1, 400]);

        cases.Sample((environment, signerMask, twice, createdMinutes, validityMinutes, pinned, flip) =>
        {
            var envelope = Envelope(environment, signerMask, twice, createdMinutes, validityMinutes, pinned, flip);

            var controller = ControllerRollsOut(envelope);
            var agent = ReleaseAdmission.Admit(envelope, _policy, new AgentTarget(environment, new Dictionary<string, string>()),
                new Dictionary<AppEnvironment, long>(), Now);

            Assert.True(controller == agent.IsAccepted,
                $"controller rolls out: {controller}; agent: {agent.Refusal?.ToString() ?? "accepted"}");
        }, iter: 300, threads: 1);
    }

    private bool ControllerRollsOut(byte[] envelope)
    {
        try
        {
            return ReleaseIntake.Verify(envelope, _policy, Now).ThresholdMet;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private byte[] Envelope(string environment, int signerMask, bool twice, int createdMinutes, int validityMinutes, bool pinned, int flip)
    {
        var created = Now.AddMinutes(createdMinutes);
        var manifest = new ReleaseManifest
        {
            Environment = environment,
            Sequence = 1,
            CreatedAt = created,
            ExpiresAt = created.AddMinutes(validityMinutes),
            Release = new ReleaseDefinition
            {
                App = "shop",
                Services = [new ServiceSpec { Name = "web", Image = pinned ? "r.example/web@" + Digest : "r.example/web:1.0" }],
            },
        };
        var signers = _keys.Where((_, i) => (signerMask & (1 << i)) != 0).ToList();
        if (twice && signers.Count > 0)
        {
            signers.Add(signers[0]);
        }

        var signed = manifest.Sign(signers);
        if (flip >= 0 && flip < signed.Payload.Length)
        {
            var payload = signed.Payload.ToArray();
            payload[flip] ^= 0x01;
            signed = signed with { Payload = payload };
        }

        return signed.ToJson();
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}

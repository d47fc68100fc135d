using Fleet.Core.Releases;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.TestSupport;

/// <summary>Keys alice, bob, carol and dave, and policies and releases built from them.</summary>
public sealed class TestTrust : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public OperatorKey Alice { get; } = OperatorKey.Generate("alice");

    public OperatorKey Bob { get; } = OperatorKey.Generate("bob");

    public OperatorKey Carol { get; } = OperatorKey.Generate("carol");

    public OperatorKey Dave { get; } = OperatorKey.Generate("dave");

    /// <summary>Roots alice+bob (2 of 2); staging alice,bob,carol 1-of-3; production alice,bob 2-of-2.</summary>
    public TrustPolicy Policy(long version = 1, DateTimeOffset? expiresAt = null, IReadOnlyDictionary<string, TimeSpan>? maxValidity = null) =>
        Policy(version, [Alice, Bob], 2, expiresAt, maxValidity);

    public TrustPolicy Policy(
        long version, IReadOnlyList<OperatorKey> roots, int rootThreshold, DateTimeOffset? expiresAt = null, IReadOnlyDictionary<string, TimeSpan>? maxValidity = null)
    {
        OperatorKey[] everyone = [.. new[] { Alice, Bob, Carol }.Concat(roots).DistinctBy(k => k.KeyId)];
        return TrustPolicy.Create(
            version,
            everyone.Select(k => new TrustedKey(k.Name, k.PublicKey)),
            Rule(rootThreshold, roots),
            new Dictionary<string, ThresholdRule>
            {
                ["staging"] = Rule(1, Alice, Bob, Carol),
                ["production"] = Rule(2, Alice, Bob),
            },
            expiresAt,
            maxValidity);
    }

    public static ThresholdRule Rule(int threshold, params IEnumerable<OperatorKey> keys) =>
        new(keys.Select(k => k.KeyId).ToHashSet(StringComparer.Ordinal), threshold);

    public static ReleaseManifest Manifest(
        string environment = "staging", long sequence = 5, string image = "127.0.0.1:5000/shop/web@" + Digest) => new()
    {
        Environment = environment,
        Sequence = sequence,
        CreatedAt = Now.AddMinutes(-5),
        ExpiresAt = Now.AddHours(1),
        Release = new ReleaseDefinition
        {
            App = "shop",
            TargetLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["role"] = "web" },
            Services =
            [
                new ServiceSpec
                {
                    Name = "web",
                    Image = image,
                    Health = new HealthCheckSpec { Type = HealthCheckType.Http, Path = "/health", Port = 8080 },
                },
            ],
            Hooks = [new HookSpec { Name = "migrate", Service = "web", Image = image, Command = ["./migrate"] }],
        },
    };

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
        Dave.Dispose();
    }
}

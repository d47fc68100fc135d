using System.Text.Json;

namespace Fleet.Core.Trust;

/// <summary>
/// The agent's trust policy: the operator keys it knows, the root rule (who may replace this
/// policy) and, per environment, which keys count for releases and how many must sign.
/// It travels as the payload of a DSSE envelope of type <see cref="PayloadType"/>.
/// </summary>
public sealed partial class TrustPolicy
{
    public const string PayloadType = "application/vnd.fleet.trust+json";

    /// <summary>How long a release may be valid (expires_at − created_at) where the policy does not say.</summary>
    public static readonly TimeSpan DefaultMaxValidity = TimeSpan.FromDays(7);

    private TrustPolicy(
        long version,
        DateTimeOffset? expiresAt,
        IReadOnlyDictionary<string, TrustedKey> keys,
        ThresholdRule root,
        IReadOnlyDictionary<string, ThresholdRule> environments,
        IReadOnlyDictionary<string, TimeSpan> maxValidity)
    {
        Version = version;
        ExpiresAt = expiresAt;
        Keys = keys;
        Root = root;
        Environments = environments;
        MaxValidity = maxValidity;
    }

    /// <summary>Strictly increases with every rotation; a policy never replaces a newer one.</summary>
    public long Version { get; }

    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Known keys by key id.</summary>
    public IReadOnlyDictionary<string, TrustedKey> Keys { get; }

    public ThresholdRule Root { get; }

    public IReadOnlyDictionary<string, ThresholdRule> Environments { get; }

    /// <summary>The longest validity a release may have, for the environments whose rule sets one.</summary>
    public IReadOnlyDictionary<string, TimeSpan> MaxValidity { get; }

    /// <summary>The longest validity a release for <paramref name="environment"/> may have: its own, or <see cref="DefaultMaxValidity"/>.</summary>
    public TimeSpan MaxValidityFor(string environment) =>
        MaxValidity.TryGetValue(environment, out var max) ? max : DefaultMaxValidity;

    public IEnumerable<OperatorPublicKey> RootKeys => Root.KeyIds.Select(id => Keys[id].PublicKey);

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires;

    /// <summary>Builds and validates a policy; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static TrustPolicy Create(
        long version,
        IEnumerable<TrustedKey> keys,
        ThresholdRule root,
        IReadOnlyDictionary<string, ThresholdRule> environments,
        DateTimeOffset? expiresAt = null,
        IReadOnlyDictionary<string, TimeSpan>? maxValidity = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyList = keys.ToList();
        maxValidity ??= new Dictionary<string, TimeSpan>();
        var errors = Validate(version, keyList, root, environments, maxValidity);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid trust policy: " + string.Join("; ", errors));
        }

        return new TrustPolicy(
            version,
            expiresAt?.ToUniversalTime(),
            keyList.ToDictionary(k => k.KeyId, StringComparer.Ordinal),
            root,
            new SortedDictionary<string, ThresholdRule>(environments.ToDictionary(), StringComparer.Ordinal),
            new SortedDictionary<string, TimeSpan>(maxValidity.ToDictionary(), StringComparer.Ordinal));
    }

    /// <summary>Parses and validates a policy payload; throws <see cref="DsseFormatException"/>.</summary>
    public static TrustPolicy ParsePayload(ReadOnlySpan<byte> payload)
    {
        TrustPolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(payload, TrustPolicyJsonContext.Default.TrustPolicyDocument);
        }
        catch (JsonException ex)
        {
            throw new DsseFormatException($"trust policy is not valid JSON: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new DsseFormatException("trust policy is empty");
        }

        if (document.Root.MaxValidity is not null)
        {
            throw new DsseFormatException("the root rule takes no max_validity; set it per environment");
        }

        try
        {
            var keys = document.Keys.Select(k => new TrustedKey(
                k.Name, DeclaredKey(k.KeyId, Convert.FromBase64String(k.PublicKey))));
            return Create(
                document.Version,
                keys,
                ToRule(document.Root),
                document.Environments.ToDictionary(e => e.Key, e => ToRule(e.Value), StringComparer.Ordinal),
                document.ExpiresAt,
                document.Environments.Where(e => e.Value.MaxValidity is not null)
                    .ToDictionary(e => e.Key, e => e.Value.MaxValidity!.Value, StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new DsseFormatException(ex.Message, ex);
        }
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new TrustPolicyDocument
        {
            Version = Version,
            ExpiresAt = ExpiresAt,
            Keys = [.. Keys.Values.OrderBy(k => k.Name, StringComparer.Ordinal).Select(k => new TrustedKeyDocument
            {
                KeyId = k.KeyId,
                Name = k.Name,
                PublicKey = Convert.ToBase64String(k.PublicKey.SubjectPublicKeyInfo),
            })],
            Root = ToDocument(Root),
            Environments = new SortedDictionary<string, ThresholdRuleDocument>(
                Environments.ToDictionary(
                    e => e.Key,
                    e => ToDocument(e.Value) with { MaxValidity = MaxValidity.TryGetValue(e.Key, out var max) ? max : null }),
                StringComparer.Ordinal),
        },
        TrustPolicyJsonContext.Default.TrustPolicyDocument);

    /// <summary>Wraps this policy in an envelope signed by <paramref name="signers"/>.</summary>
    public DsseEnvelope Sign(IEnumerable<OperatorKey> signers) => Dsse.Sign(PayloadType, ToJson(), signers);

    private static OperatorPublicKey DeclaredKey(string declaredKeyId, byte[] spki)
    {
        var key = OperatorPublicKey.FromSubjectPublicKeyInfo(spki);
        if (!string.Equals(key.KeyId, declaredKeyId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"key '{declaredKeyId}' does not match its public key ({key.KeyId})");
        }

        return key;
    }

    private static ThresholdRule ToRule(ThresholdRuleDocument document)
    {
        var ids = new HashSet<string>(document.Keys, StringComparer.Ordinal);
        if (ids.Count != document.Keys.Count)
        {
            throw new ArgumentException("a key is listed twice in one rule");
        }

        return new ThresholdRule(ids, document.Threshold);
    }

    private static ThresholdRuleDocument ToDocument(ThresholdRule rule) => new()
    {
        Keys = [.. rule.KeyIds.Order(StringComparer.Ordinal)],
        Threshold = rule.Threshold,
    };
}

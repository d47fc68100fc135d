using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fleet.Core.Trust;

/// <summary>
/// The agent's trust policy: the operator keys it knows, the root rule (who may replace this
/// policy) and, per environment, which keys count for releases and how many must sign.
/// It travels as the payload of a DSSE envelope of type <see cref="PayloadType"/>.
/// </summary>
public sealed partial class TrustPolicy
{
    public const string PayloadType = "application/vnd.fleet.trust+json";

    private TrustPolicy(
        long version,
        DateTimeOffset? expiresAt,
        IReadOnlyDictionary<string, TrustedKey> keys,
        ThresholdRule root,
        IReadOnlyDictionary<string, ThresholdRule> environments)
    {
        Version = version;
        ExpiresAt = expiresAt;
        Keys = keys;
        Root = root;
        Environments = environments;
    }

    /// <summary>Strictly increases with every rotation; a policy never replaces a newer one.</summary>
    public long Version { get; }

    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Known keys by key id.</summary>
    public IReadOnlyDictionary<string, TrustedKey> Keys { get; }

    public ThresholdRule Root { get; }

    public IReadOnlyDictionary<string, ThresholdRule> Environments { get; }

    public IEnumerable<OperatorPublicKey> RootKeys => Root.KeyIds.Select(id => Keys[id].PublicKey);

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires;

    /// <summary>Builds and validates a policy; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static TrustPolicy Create(
        long version,
        IEnumerable<TrustedKey> keys,
        ThresholdRule root,
        IReadOnlyDictionary<string, ThresholdRule> environments,
        DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyList = keys.ToList();
        var errors = Validate(version, keyList, root, environments);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid trust policy: " + string.Join("; ", errors));
        }

        return new TrustPolicy(
            version,
            expiresAt?.ToUniversalTime(),
            keyList.ToDictionary(k => k.KeyId, StringComparer.Ordinal),
            root,
            new SortedDictionary<string, ThresholdRule>(environments.ToDictionary(), StringComparer.Ordinal));
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

        try
        {
            var keys = document.Keys.Select(k => new TrustedKey(
                k.Name, DeclaredKey(k.KeyId, Convert.FromBase64String(k.PublicKey))));
            return Create(
                document.Version,
                keys,
                ToRule(document.Root),
                document.Environments.ToDictionary(e => e.Key, e => ToRule(e.Value), StringComparer.Ordinal),
                document.ExpiresAt);
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
                Environments.ToDictionary(e => e.Key, e => ToDocument(e.Value)), StringComparer.Ordinal),
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

    private static List<string> Validate(
        long version, List<TrustedKey> keys, ThresholdRule root, IReadOnlyDictionary<string, ThresholdRule> environments)
    {
        var errors = new List<string>();
        if (version < 1)
        {
            errors.Add($"version must be at least 1, got {version}");
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!known.Add(key.KeyId))
            {
                errors.Add($"key {key.KeyId} is listed twice");
            }
        }

        foreach (var duplicate in keys.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"key name '{duplicate.Key}' is used by {duplicate.Count()} keys");
        }

        ValidateRule("root", root, known, errors);
        if (environments.Count == 0)
        {
            errors.Add("at least one environment is required");
        }

        foreach (var (name, rule) in environments)
        {
            if (!EnvironmentName().IsMatch(name))
            {
                errors.Add($"environment name '{name}' is invalid (lowercase letters, digits and '-', at most 63)");
            }

            ValidateRule($"environment '{name}'", rule, known, errors);
        }

        return errors;
    }

    private static void ValidateRule(string what, ThresholdRule rule, HashSet<string> known, List<string> errors)
    {
        if (rule.KeyIds.Count == 0)
        {
            errors.Add($"{what} lists no keys");
        }

        errors.AddRange(rule.KeyIds.Where(id => !known.Contains(id)).Select(id => $"{what} names unknown key {id}"));
        if (rule.Threshold < 1 || rule.Threshold > rule.KeyIds.Count)
        {
            errors.Add($"{what} threshold must be between 1 and {rule.KeyIds.Count}, got {rule.Threshold}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    internal static partial Regex EnvironmentName();
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Core.Trust;

namespace Fleet.Core.Releases;

/// <summary>
/// The signed release: the payload of a DSSE envelope of type <see cref="PayloadType"/>.
/// Serialised canonically (fixed property order, sorted maps, no whitespace) by <see cref="ToCanonicalJson"/>;
/// signatures cover the exact bytes, so verifiers never re-serialise.
/// </summary>
public sealed record ReleaseManifest
{
    public const string PayloadType = "application/vnd.fleet.release+json";

    public required string Environment { get; init; }

    /// <summary>Strictly increasing per app and environment; an agent refuses a replay or an older one.</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>An agent refuses the release at or after this time.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public required ReleaseDefinition Release { get; init; }

    [JsonIgnore]
    public string App => Release.App;

    /// <summary>
    /// Builds a manifest for <paramref name="environment"/> valid from <paramref name="now"/> for
    /// <paramref name="validity"/>; throws <see cref="ReleaseValidationException"/> listing every problem.
    /// </summary>
    public static ReleaseManifest Create(ReleaseDefinition release, string environment, long sequence, DateTimeOffset now, TimeSpan validity)
    {
        var utc = now.ToUniversalTime();
        var manifest = new ReleaseManifest
        {
            Environment = environment,
            Sequence = sequence,
            CreatedAt = utc,
            ExpiresAt = utc + validity,
            Release = release,
        };
        var errors = ReleaseValidator.ValidateManifest(manifest);
        return errors.Count == 0 ? manifest : throw new ReleaseValidationException(errors);
    }

    /// <summary>Signs the canonical JSON of this manifest into a new envelope.</summary>
    public DsseEnvelope Sign(IEnumerable<OperatorKey> signers) => Dsse.Sign(PayloadType, ToCanonicalJson(), signers);

    public byte[] ToCanonicalJson() =>
        JsonSerializer.SerializeToUtf8Bytes(this, ReleaseJsonContext.Default.ReleaseManifest);

    /// <summary>
    /// Parses and validates a payload. Call only on bytes whose signatures were verified.
    /// Throws <see cref="ReleaseValidationException"/> listing every problem.
    /// </summary>
    public static ReleaseManifest Parse(ReadOnlySpan<byte> payload)
    {
        ReleaseManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(payload, ReleaseJsonContext.Default.ReleaseManifest);
        }
        catch (JsonException ex)
        {
            throw new ReleaseValidationException([new ValidationError(ex.Path ?? "$", ex.Message)]);
        }

        if (manifest is null)
        {
            throw new ReleaseValidationException([new ValidationError("$", "the manifest is empty")]);
        }

        var errors = ReleaseValidator.ValidateManifest(manifest);
        return errors.Count == 0 ? manifest : throw new ReleaseValidationException(errors);
    }
}

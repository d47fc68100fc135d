using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Acme;

// JSON shapes of RFC 8555 §7.1 resources; only the members the client reads.

internal sealed record AcmeDirectory(
    Uri NewNonce,
    Uri NewAccount,
    Uri NewOrder,
    Uri? RevokeCert,
    Uri? KeyChange,
    Uri? RenewalInfo,
    AcmeDirectoryMeta? Meta);

internal sealed record AcmeDirectoryMeta(bool ExternalAccountRequired, Uri? TermsOfService);

internal sealed record AcmeIdentifier(string Type, string Value);

internal sealed record AcmeOrder(
    string Status,
    IReadOnlyList<AcmeIdentifier> Identifiers,
    IReadOnlyList<Uri> Authorizations,
    Uri Finalize,
    Uri? Certificate,
    AcmeProblem? Error)
{
    /// <summary>The order's own URL (from the Location header, not the body).</summary>
    [JsonIgnore]
    public Uri? Url { get; init; }
}

internal sealed record AcmeAuthorization(
    AcmeIdentifier Identifier,
    string Status,
    IReadOnlyList<AcmeChallenge> Challenges,
    bool Wildcard);

internal sealed record AcmeChallenge(string Type, Uri Url, string Status, string Token, AcmeProblem? Error);

internal sealed record AcmeProblem(string? Type, string? Detail, int? Status, IReadOnlyList<AcmeProblem>? Subproblems, AcmeIdentifier? Identifier);

/// <summary>RFC 9773 renewal information.</summary>
internal sealed record AcmeRenewalInfo(AcmeRenewalWindow SuggestedWindow, Uri? ExplanationUrl);

internal sealed record AcmeRenewalWindow(DateTimeOffset Start, DateTimeOffset End);

internal static class AcmeStatus
{
    public const string Pending = "pending";
    public const string Ready = "ready";
    public const string Processing = "processing";
    public const string Valid = "valid";
    public const string Invalid = "invalid";
}

internal static class AcmeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Read<T>(byte[] body) =>
        JsonSerializer.Deserialize<T>(body, Options)
        ?? throw new AcmeProtocolException($"The ACME server sent an empty {typeof(T).Name}.");
}

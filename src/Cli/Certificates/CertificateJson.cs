namespace Fleet.Cli.Certificates;

/// <summary>One certificate on one agent in <c>fleetctl certs list|renew --output json</c>.</summary>
internal sealed record CertificateJson(
    string Agent,
    string Name,
    IReadOnlyList<string> Domains,
    string? Issuer,
    string? Serial,
    string? NotAfter,
    int? DaysLeft,
    bool ExpiringSoon,
    string? LastRenewalAt,
    bool? LastRenewalSucceeded,
    string? LastRenewalError,
    string? NextAttemptAt,
    string? ReportedAt);

/// <summary><c>fleetctl certs list --output json</c>: every certificate, by agent then name.</summary>
internal sealed record CertificateListJson(IReadOnlyList<CertificateJson> Certificates);

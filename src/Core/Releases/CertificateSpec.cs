namespace Fleet.Core.Releases;

/// <summary>
/// A certificate the agents of a release keep valid with ACME (<c>certificates:</c> in fleet.yaml).
/// The same shape as the agent-local "Certificates:Items" configuration.
/// </summary>
public sealed record CertificateSpec
{
    /// <summary>Unique among the release's certificates; the folder the agent installs it in.</summary>
    public required string Name { get; init; }

    /// <summary>DNS names; the first is the subject. Wildcards need dns-01.</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    public CertificateKeyKind KeyType { get; init; } = CertificateKeyKind.EcdsaP256;

    public required CertificateChallengeSpec Challenge { get; init; }

    public CertificateReloadSpec Reload { get; init; } = new();
}

/// <summary>How the CA validates the domains.</summary>
public sealed record CertificateChallengeSpec
{
    public required CertificateChallengeType Type { get; init; }

    /// <summary>dns-01: the zone's primary server as ip:port (RFC 2136 updates and TXT checks go there).</summary>
    public string? Server { get; init; }

    /// <summary>dns-01: the zone the _acme-challenge names are in.</summary>
    public string? Zone { get; init; }

    /// <summary>dns-01: TSIG key name (hmac-sha256).</summary>
    public string? TsigKeyName { get; init; }

    /// <summary>dns-01: absolute path, on each host, of the file holding the TSIG secret. The secret itself never enters a release.</summary>
    public string? TsigSecretFile { get; init; }
}

/// <summary>What the agent does after a new certificate is installed (the edge proxy is always told).</summary>
public sealed record CertificateReloadSpec
{
    /// <summary>A service of this release whose running containers get <see cref="Signal"/>.</summary>
    public string? Service { get; init; }

    /// <summary>A container (name or id) outside the release that gets <see cref="Signal"/>.</summary>
    public string? Container { get; init; }

    public string Signal { get; init; } = "SIGHUP";

    /// <summary>A command (program and arguments, no shell) run on the host.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(1);
}

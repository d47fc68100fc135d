namespace Fleet.Agent.Acme;

/// <summary>
/// Agent-local certificate declarations and ACME settings (configuration section "Certificates").
/// Releases declare the same <see cref="CertificateDeclaration"/> shape in fleet.yaml.
/// </summary>
internal sealed class CertificatesOptions
{
    public const string Section = "Certificates";

    /// <summary>ACME directory. Default Let's Encrypt production.</summary>
    public Uri DirectoryUrl { get; set; } = new("https://acme-v02.api.letsencrypt.org/directory");

    /// <summary>PEM file of an extra root trusted for the ACME server's TLS (test CAs). Default none: system trust.</summary>
    public string? DirectoryTrustFile { get; set; }

    /// <summary>Account contacts (e-mail addresses or mailto: URLs). Default none.</summary>
    public List<string> Contacts { get; set; } = [];

    /// <summary>External Account Binding key id, when the CA requires one. Default none.</summary>
    public string? ExternalAccountKeyId { get; set; }

    /// <summary>File holding the base64url EAB HMAC key (mode 0600). Required with <see cref="ExternalAccountKeyId"/>.</summary>
    public string? ExternalAccountHmacKeyFile { get; set; }

    /// <summary>Common name of the root to prefer among alternate chains (e.g. "ISRG Root X1"). Default: the CA's default chain.</summary>
    public string? PreferredChain { get; set; }

    /// <summary>Folder for the account key and installed certificates. Default /var/lib/fleet-agent/certificates.</summary>
    public string StateDirectory { get; set; } = "/var/lib/fleet-agent/certificates";

    /// <summary>host:port the HTTP-01 responder listens on (the edge proxy forwards port 80 here). Default 127.0.0.1:8402.</summary>
    public string Http01Listen { get; set; } = "127.0.0.1:8402";

    /// <summary>Wait after start before the first check (which also reports every declared certificate). Default 1 min; 0–1 h.</summary>
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Time between renewal checks. Default 12 h (twice a day); 1 min–24 h.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Random delay added to each check so a fleet does not hit the CA at once. Default 30 min; 0–6 h.</summary>
    public TimeSpan CheckJitter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>First wait after a failed renewal, doubled per failure. Default 1 h; 1 s–1 d.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest wait after failures. Default 1 d; at least <see cref="FailureBackoff"/>.</summary>
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromDays(1);

    public List<CertificateDeclaration> Items { get; set; } = [];
}

/// <summary>One certificate to keep valid.</summary>
internal sealed class CertificateDeclaration
{
    /// <summary>Unique name; the folder under the state directory. ^[a-z0-9][a-z0-9.-]{0,62}$.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>DNS names; the first is the subject. Wildcards need dns-01.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>EcdsaP256 (default) or Rsa2048.</summary>
    public CertificateKeyType KeyType { get; set; } = CertificateKeyType.EcdsaP256;

    public ChallengeDeclaration Challenge { get; set; } = new();

    /// <summary>What to do after a new certificate is installed. Default nothing (listeners are still notified).</summary>
    public ReloadDeclaration Reload { get; set; } = new();
}

internal sealed class ChallengeDeclaration
{
    public const string Http01 = "http-01";
    public const string Dns01 = "dns-01";

    /// <summary>"http-01" (default) or "dns-01".</summary>
    public string Type { get; set; } = Http01;

    /// <summary>dns-01: the zone's primary server as ip:port (RFC 2136 updates and TXT checks go there).</summary>
    public string? Server { get; set; }

    /// <summary>dns-01: the zone the _acme-challenge names are in.</summary>
    public string? Zone { get; set; }

    /// <summary>dns-01: TSIG key name (hmac-sha256).</summary>
    public string? TsigKeyName { get; set; }

    /// <summary>dns-01: file holding the base64 TSIG secret (or a tsig-keygen key clause); keep it 0600.</summary>
    public string? TsigSecretFile { get; set; }
}

internal sealed class ReloadDeclaration
{
    /// <summary>A Fleet service as APP/SERVICE whose running containers get <see cref="Signal"/> after install. Default none.</summary>
    public string? Service { get; set; }

    /// <summary>Container (name or id) to signal after install. Default none.</summary>
    public string? Container { get; set; }

    /// <summary>Signal sent to <see cref="Container"/>. Default SIGHUP.</summary>
    public string Signal { get; set; } = "SIGHUP";

    /// <summary>Command (program and arguments, no shell) run after install. Default none.</summary>
    public List<string> Command { get; set; } = [];

    /// <summary>Longest time the command may run. Default 1 min.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(1);
}

using System.Text.Json.Serialization;

namespace Fleet.Core.Releases;

[JsonConverter(typeof(NamedEnumConverter<CertificateChallengeType>))]
public enum CertificateChallengeType
{
    /// <summary>The agent (or its edge proxy) answers /.well-known/acme-challenge/ on port 80.</summary>
    [JsonStringEnumMemberName("http-01")]
    Http01,

    /// <summary>A TXT record set through RFC 2136 dynamic updates signed with TSIG.</summary>
    [JsonStringEnumMemberName("dns-01")]
    Dns01,
}

[JsonConverter(typeof(NamedEnumConverter<CertificateKeyKind>))]
public enum CertificateKeyKind
{
    [JsonStringEnumMemberName("ecdsa-p256")]
    EcdsaP256,

    [JsonStringEnumMemberName("rsa-2048")]
    Rsa2048,
}

/// <summary>Signals a certificate reload may send to a container.</summary>
public static class CertificateSignals
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGINT", "SIGQUIT", "SIGTERM", "SIGWINCH",
    };

    public static IReadOnlyCollection<string> Names => Known;

    public static bool IsKnown(string signal) => Known.Contains(signal);
}

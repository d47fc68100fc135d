using System.Security.Cryptography.X509Certificates;

namespace Fleet.Controller.Identity;

/// <summary>The agent a client certificate names, or why it names none.</summary>
internal readonly record struct AgentCertificateCheck(Guid AgentId, string? Failure)
{
    public bool IsValid => Failure is null;
}

/// <summary>
/// Kestrel accepts any client certificate during the handshake so that a bad one gets an
/// operator-facing gRPC error instead of a bare TLS alert; this is where it is really checked.
/// </summary>
internal sealed class AgentCertificateValidator(CertificateAuthority authority, TimeProvider time)
{
    public AgentCertificateCheck Validate(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return Fail("no client certificate was presented; agents must connect with the certificate issued at enrollment");
        }

        var now = time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            return Fail($"the client certificate expired at {certificate.NotAfter.ToUniversalTime():u}; re-enroll the agent");
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime + TimeSpan.FromMinutes(5))
        {
            return Fail($"the client certificate is not valid before {certificate.NotBefore.ToUniversalTime():u}; check the clocks");
        }

        if (!IssuedByAuthority(certificate, now))
        {
            return Fail("the client certificate was not issued by this controller's CA; enroll the agent with this controller");
        }

        var agentId = ReadAgentId(certificate);
        return agentId is { } id
            ? new AgentCertificateCheck(id, null)
            : Fail($"the client certificate carries no '{CertificateAuthority.AgentUriPrefix}<id>' name");
    }

    private bool IssuedByAuthority(X509Certificate2 certificate, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(Oids.ClientAuth);
        try
        {
            return chain.Build(certificate);
        }
        finally
        {
            // Every element is a new certificate object over native (OpenSSL) memory that
            // X509Chain.Dispose leaves to the finalizer; with thousands of agents connecting,
            // that memory would wait for a gen2 collection.
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    public static Guid? ReadAgentId(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            foreach (var uri in UriNames(extension))
            {
                if (uri.StartsWith(CertificateAuthority.AgentUriPrefix, StringComparison.Ordinal)
                    && Guid.TryParse(uri[CertificateAuthority.AgentUriPrefix.Length..], out var id))
                {
                    return id;
                }
            }
        }

        return null;
    }

    private static List<string> UriNames(X509SubjectAlternativeNameExtension extension)
    {
        // .NET enumerates only DNS names and IP addresses; URIs are read from the ASN.1 (GeneralName [6]).
        var reader = new System.Formats.Asn1.AsnReader(extension.RawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var uriTag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
        var names = new List<string>();
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag.HasSameClassAndValue(uriTag))
            {
                names.Add(sequence.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                sequence.ReadEncodedValue();
            }
        }

        return names;
    }

    private static AgentCertificateCheck Fail(string reason) => new(Guid.Empty, reason);
}

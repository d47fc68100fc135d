namespace Fleet.Agent.Identity;

/// <summary>The PEM and JSON texts that make up an identity, as written to the state directory.</summary>
internal sealed record IdentityFiles(string KeyPem, string CertificatePem, string CaBundlePem);

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Core.Transport;

/// <summary>
/// A CA pin is <c>sha256:</c> followed by the lowercase hex SHA-256 of the CA certificate's
/// DER-encoded SubjectPublicKeyInfo, as <c>kubeadm join --discovery-token-ca-cert-hash</c> uses.
/// Pinning the public key, not the certificate, lets the CA re-issue its own certificate.
/// </summary>
public static class CaPin
{
    public const string Prefix = "sha256:";

    public static string Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    /// <summary>Normalises a pin typed by a person, or returns an error message.</summary>
    public static bool TryParse(string? text, out string pin, out string error)
    {
        pin = "";
        error = "";
        var value = text?.Trim() ?? "";
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"a CA pin must look like '{Prefix}<64 hex digits>', got '{value}'";
            return false;
        }

        var hex = value[Prefix.Length..];
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            error = $"a CA pin must have 64 hex digits after '{Prefix}', got {hex.Length} characters";
            return false;
        }

        pin = Prefix + hex.ToLowerInvariant();
        return true;
    }
}

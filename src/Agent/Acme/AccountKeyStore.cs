using System.Security.Cryptography;

namespace Fleet.Agent.Acme;

/// <summary>The ACME account key: ECDSA P-256, PKCS #8 PEM, file mode 0600, created on first use.</summary>
internal static class AccountKeyStore
{
    public static ECDsa LoadOrCreate(string path)
    {
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(path));
            }
            catch (ArgumentException ex)
            {
                key.Dispose();
                throw new InvalidOperationException($"The ACME account key {path} is not a PEM private key.", ex);
            }

            if (key.KeySize != 256)
            {
                key.Dispose();
                throw new InvalidOperationException($"The ACME account key {path} is not ECDSA P-256.");
            }

            return key;
        }

        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SecureFile.WriteAtomic(path, key.ExportPkcs8PrivateKeyPem() + "\n", SecureFile.OwnerOnly);
        return key;
    }
}

namespace Fleet.Agent.Acme.Dns01;

/// <summary>A TSIG key (RFC 8945) for hmac-sha256, the only algorithm this client speaks.</summary>
internal sealed record TsigKey(string Name, byte[] Secret)
{
    public const string Algorithm = "hmac-sha256";

    /// <summary>Reads the base64 secret from a file (as written by tsig-keygen's secret "…" or alone).</summary>
    public static TsigKey FromFile(string name, string secretFile)
    {
        var text = File.ReadAllText(secretFile).Trim();
        var quoted = text.IndexOf("secret \"", StringComparison.Ordinal);
        if (quoted >= 0)
        {
            var start = quoted + "secret \"".Length;
            text = text[start..text.IndexOf('"', start)];
        }

        try
        {
            return new TsigKey(name, Convert.FromBase64String(text));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"The TSIG secret file for key '{name}' ({secretFile}) does not hold a base64 secret.", ex);
        }
    }
}

namespace Fleet.Core.Trust;

/// <summary>A public key the trust policy knows, with the operator name it was given.</summary>
public sealed record TrustedKey(string Name, OperatorPublicKey PublicKey)
{
    public string KeyId => PublicKey.KeyId;
}

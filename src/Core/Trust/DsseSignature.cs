namespace Fleet.Core.Trust;

/// <summary>
/// One DSSE signature. <see cref="KeyId"/> is an unauthenticated hint for finding the key
/// faster; it never decides whether a signature is trusted.
/// </summary>
public sealed record DsseSignature(string KeyId, byte[] Signature);

using System.Security.Cryptography;

namespace Fleet.Core.Secrets;

/// <summary>
/// A secret value with the random salt of its commitment. The version of a secret is
/// SHA-256(app, environment, name, salt, value): a signed release that names the version pins the
/// value, yet the version reveals nothing about a short password (the 256-bit salt travels only
/// inside sealed copies). An agent recomputes it after opening a copy, so a copy sealed by anyone
/// else (the controller has every agent's public key) with another value is refused.
/// </summary>
public sealed class SecretValue
{
    /// <summary>Largest value accepted, in bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int SaltBytes = 32;
    private static readonly byte[] CommitmentLabel = "fleet.secret-version.v1"u8.ToArray();

    private SecretValue(byte[] salt, byte[] value)
    {
        Salt = salt;
        Value = value;
    }

    public byte[] Salt { get; }

    public byte[] Value { get; }

    /// <summary>A new value with a fresh salt: every <c>fleetctl secrets set</c> makes a new version.</summary>
    public static SecretValue Create(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > MaxBytes
            ? throw new ArgumentException($"a secret value is at most {MaxBytes} bytes; this one is {value.Length}", nameof(value))
            : new SecretValue(RandomNumberGenerator.GetBytes(SaltBytes), value);
    }

    /// <summary>The plaintext inside a sealed copy: salt then value.</summary>
    public byte[] Encode() => [.. Salt, .. Value];

    private static SecretValue Decode(ReadOnlySpan<byte> plaintext) =>
        plaintext.Length < SaltBytes
            ? throw new SecretSealException("the sealed secret is too short to hold a salt")
            : new SecretValue(plaintext[..SaltBytes].ToArray(), plaintext[SaltBytes..].ToArray());

    /// <summary>Seals this value for one recipient, bound to its app, environment, name and version.</summary>
    public byte[] SealFor(ReadOnlySpan<byte> recipientPublicKey, string app, string environment, string name) =>
        SecretSealer.Seal(recipientPublicKey, new SecretContext(app, environment, name, Version(app, environment, name)), Encode());

    /// <summary>
    /// Opens a sealed copy and checks that the value is the one <paramref name="context"/>'s version
    /// commits to; throws <see cref="SecretSealException"/> otherwise.
    /// </summary>
    public static SecretValue Open(ECDiffieHellman recipient, SecretContext context, ReadOnlySpan<byte> sealedCopy)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = Decode(SecretSealer.Open(recipient, context, sealedCopy));
        return value.Version(context.App, context.Environment, context.Name) == context.Version
            ? value
            : throw new SecretSealException($"the sealed copy of secret '{context.Name}' holds a value other than version {context.Version}");
    }

    /// <summary>The version string (64 lowercase hex digits) of this value for that app, environment and name.</summary>
    public string Version(string app, string environment, string name)
    {
        var prefix = SecretContext.LengthPrefixed(CommitmentLabel, app, environment, name);
        return Convert.ToHexStringLower(SHA256.HashData([.. prefix, .. Salt, .. Value]));
    }
}

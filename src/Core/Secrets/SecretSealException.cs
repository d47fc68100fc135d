namespace Fleet.Core.Secrets;

/// <summary>A sealed secret that cannot be opened or does not match its version. The message never holds a value.</summary>
public sealed class SecretSealException(string message) : Exception(message);

namespace Fleet.Core.Registries;

/// <summary>
/// A user name and password (or access token, or a GCR <c>_json_key</c>'s JSON text) for one
/// registry. <see cref="Source"/> says where it came from, for error messages; <see cref="ToString"/>
/// never shows the password.
/// </summary>
public sealed class RegistryCredential(string username, string password, string source)
{
    public string Username { get; } = username;

    public string Password { get; } = password;

    /// <summary>Where the credential came from and how to fix it, e.g. "the entry for ghcr.io in ~/.docker/config.json (or run docker login ghcr.io)".</summary>
    public string Source { get; } = source;

    /// <summary>The value of a Basic <c>Authorization</c> header.</summary>
    internal string BasicParameter() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    public override string ToString() => $"user '{Username}' from {Source}";
}

namespace Fleet.Core.Releases;

public enum RegistryErrorKind
{
    /// <summary>The repository exists but has no such tag.</summary>
    TagNotFound,

    /// <summary>The registry does not know the repository.</summary>
    RepositoryNotFound,

    /// <summary>The registry wants credentials that are missing, or refused the ones given.</summary>
    Unauthorized,

    /// <summary>Connection refused, DNS failure, TLS failure or timeout.</summary>
    Unreachable,

    /// <summary>The manifest's bytes do not hash to the digest the registry announced.</summary>
    DigestMismatch,

    /// <summary>Any other answer that is not a usable manifest.</summary>
    UnexpectedResponse,
}

/// <summary>A registry could not resolve an image tag to a digest; <see cref="Kind"/> says why.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException()
    {
    }

    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RegistryException(RegistryErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public RegistryErrorKind Kind { get; } = RegistryErrorKind.UnexpectedResponse;
}

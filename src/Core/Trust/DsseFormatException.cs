namespace Fleet.Core.Trust;

/// <summary>An envelope or signed document that is malformed, oversized or of the wrong type.</summary>
public sealed class DsseFormatException : Exception
{
    public DsseFormatException()
    {
    }

    public DsseFormatException(string message)
        : base(message)
    {
    }

    public DsseFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the refusal is a size limit rather than a format error.</summary>
    public bool TooLarge { get; init; }
}

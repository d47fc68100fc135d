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
}

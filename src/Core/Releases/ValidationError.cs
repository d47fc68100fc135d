namespace Fleet.Core.Releases;

/// <summary>One problem in a release file or manifest, at a path like <c>services.web.health.interval</c>.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A release file or manifest with one or more problems; <see cref="Errors"/> lists them all.</summary>
public sealed class ReleaseValidationException : Exception
{
    public ReleaseValidationException()
        : this([])
    {
    }

    public ReleaseValidationException(string message)
        : base(message)
    {
        Errors = [new ValidationError("$", message)];
    }

    public ReleaseValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ValidationError("$", message)];
    }

    public ReleaseValidationException(IReadOnlyList<ValidationError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ValidationError> Errors { get; }
}

namespace Fleet.Core.Releases;

/// <summary>An in-memory file system at <see cref="Target"/> inside the container; gone when the container stops.</summary>
public sealed record TmpfsMount
{
    public required string Target { get; init; }

    /// <summary>Docker tmpfs options such as <c>size=64m,mode=1777</c>; null for Docker's defaults.</summary>
    public string? Options { get; init; }
}

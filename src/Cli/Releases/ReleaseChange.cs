namespace Fleet.Cli.Releases;

/// <summary>One difference between the running release and the one under review: a service or hook added, removed, or given another image.</summary>
internal sealed record ReleaseChange(string Kind, string Name, string? From, string? To)
{
    public override string ToString() => (From, To) switch
    {
        (null, _) => $"{Kind} {Name} added: {To}",
        (_, null) => $"{Kind} {Name} removed (was {From})",
        _ => $"{Kind} {Name}: {From} -> {To}",
    };
}


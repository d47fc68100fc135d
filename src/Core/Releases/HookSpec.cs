namespace Fleet.Core.Releases;

/// <summary>A one-off container run before the swap (e.g. database migrations).</summary>
public sealed record HookSpec
{
    public required string Name { get; init; }

    public HookPhase Phase { get; init; } = HookPhase.PreDeploy;

    /// <summary>The service whose image the hook borrowed, when it did; informational.</summary>
    public string? Service { get; init; }

    public required string Image { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public HookRun Run { get; init; } = HookRun.Once;

    /// <summary>The hook container is killed and the deploy fails after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

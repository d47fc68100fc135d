namespace Fleet.Core.Releases;

/// <summary>
/// What to run: the content of <c>fleet.yaml</c> after defaults are applied. A
/// <see cref="ReleaseManifest"/> wraps it with an environment, a sequence and a validity window.
/// </summary>
public sealed partial record ReleaseDefinition
{
    public required string App { get; init; }

    /// <summary>An agent receives the release only when it carries every one of these labels with the same value.</summary>
    public IReadOnlyDictionary<string, string> TargetLabels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public required IReadOnlyList<ServiceSpec> Services { get; init; }

    public IReadOnlyList<HookSpec> Hooks { get; init; } = [];

    public StrategySpec Strategy { get; init; } = new();

    /// <summary>A host that is not healthy this long after its swap started fails (and rolls back). Default 5 min.</summary>
    public TimeSpan HealthyDeadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A host counts as healthy after staying healthy this long. Default 10 s.</summary>
    public TimeSpan MinHealthyTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Certificates the target agents keep valid with ACME. Null (not written to the manifest) when
    /// none are declared, so older agents still accept releases that declare none.
    /// </summary>
    public IReadOnlyList<CertificateSpec>? Certificates { get; init; }
    /// <summary>Scheduled database backups (fleet.yaml <c>backups:</c>); null when none, which keeps such manifests' canonical JSON unchanged.</summary>
    public IReadOnlyList<BackupSpec>? Backups { get; init; }

    /// <summary>Every image the release runs: services then hooks.</summary>
    public IEnumerable<(string Path, string Image)> Images() =>
        Services.Select(s => ($"services.{s.Name}.image", s.Image))
            .Concat(Hooks.Select(h => ($"hooks.pre_deploy.{h.Name}.image", h.Image)));

    /// <summary>A copy with every image replaced through <paramref name="pinned"/> (image as written → pinned reference).</summary>
    public ReleaseDefinition WithImages(IReadOnlyDictionary<string, string> pinned)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        string Pin(string image) => pinned.TryGetValue(image, out var value) ? value : image;
        return this with
        {
            Services = [.. Services.Select(s => s with { Image = Pin(s.Image) })],
            Hooks = [.. Hooks.Select(h => h with { Image = Pin(h.Image) })],
        };
    }
}

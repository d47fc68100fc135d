namespace Fleet.Cli.Config;

/// <summary>The contents of config.json.</summary>
internal sealed class CliConfig
{
    public string? CurrentContext { get; set; }

    public Dictionary<string, ControllerContext> Contexts { get; set; } = new(StringComparer.Ordinal);
}

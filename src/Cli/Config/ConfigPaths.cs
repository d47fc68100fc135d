namespace Fleet.Cli.Config;

internal static class ConfigPaths
{
    public const string FileName = "config.json";

    /// <summary>
    /// $FLEET_CONFIG_DIR/config.json, else $XDG_CONFIG_HOME/fleet/config.json, else
    /// ~/.config/fleet/config.json.
    /// </summary>
    public static string Resolve(IReadOnlyDictionary<string, string?> environment)
    {
        if (Get(environment, "FLEET_CONFIG_DIR") is { } fleetDir)
        {
            return Path.Combine(fleetDir, FileName);
        }

        if (Get(environment, "XDG_CONFIG_HOME") is { } xdg)
        {
            return Path.Combine(xdg, "fleet", FileName);
        }

        var home = Get(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "fleet", FileName);
    }

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}

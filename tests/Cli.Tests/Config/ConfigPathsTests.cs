using Fleet.Cli.Config;

namespace Fleet.Cli.Tests.Config;

public sealed class ConfigPathsTests
{
    [Fact]
    public void Resolve_FleetConfigDirSet_WinsOverXdgAndHome()
    {
        var path = ConfigPaths.Resolve(new Dictionary<string, string?>
        {
            ["FLEET_CONFIG_DIR"] = "/etc/fleetctl",
            ["XDG_CONFIG_HOME"] = "/xdg",
            ["HOME"] = "/home/op",
        });

        Assert.Equal("/etc/fleetctl/config.json", path);
    }

    [Fact]
    public void Resolve_XdgSet_UsesFleetSubfolder()
    {
        var path = ConfigPaths.Resolve(new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = "/xdg", ["HOME"] = "/home/op" });

        Assert.Equal("/xdg/fleet/config.json", path);
    }

    [Fact]
    public void Resolve_OnlyHome_UsesDotConfig()
    {
        var path = ConfigPaths.Resolve(new Dictionary<string, string?> { ["FLEET_CONFIG_DIR"] = "", ["HOME"] = "/home/op" });

        Assert.Equal("/home/op/.config/fleet/config.json", path);
    }
}

using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class VolumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Records each release that started in the volume, then serves as the test images do.
    private static ServiceSpec Web(string image, string release, params MountSpec[] mounts) =>
        DeployHarness.Web(image) with
        {
            Command = ["/bin/sh", "-c", "echo $RELEASE >> /data/seen; exec httpd -f -p 127.0.0.1:$PORT -h /www"],
            Env = new Dictionary<string, string> { ["RELEASE"] = release },
            Mounts = [new MountSpec(MountKind.Volume, "data", "/data"), .. mounts],
        };

    [Fact]
    public async Task ApplyAsync_NamedVolume_CreatedWithAppLabelSharedBySlotsAndKeptThroughRollback()
    {
        await using var h = new DeployHarness();

        Assert.True((await h.Engine.ApplyAsync(h.Release(1, Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"), "r1")), null, Ct)).Succeeded);
        Assert.True((await h.Engine.ApplyAsync(h.Release(2, Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), "r2")), null, Ct)).Succeeded);
        Assert.True((await h.Engine.RollBackAsync(h.App, null, Ct)).Succeeded);

        var volume = Assert.Single(await h.Runtime.ListVolumesAsync(new Dictionary<string, string> { [SlotContainers.AppLabel] = h.App }, Ct));
        Assert.Equal($"fleet-{h.App}_data", volume.Name);
        Assert.Equal("data", volume.Labels[SlotContainers.VolumeLabel]);
        var serving = Assert.Single(await h.ContainersAsync());
        Assert.Equal("a", serving.Labels[SlotContainers.SlotLabel]);
        var seen = await h.Runtime.ExecAsync(serving.Id, ["cat", "/data/seen"], Ct);
        Assert.Equal("r1\nr2\nr1\n", seen.Output);
    }

    [Fact]
    public async Task ApplyAsync_ReadOnlyBindAndTmpfs_ReadOnlyInsideAndInMemory()
    {
        await using var h = new DeployHarness();
        var config = h.HostFolder("config");
        await File.WriteAllTextAsync(Path.Combine(config, "app.conf"), "answer=42", Ct);
        var web = Web(
            DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"), "r1",
            new MountSpec(MountKind.Bind, config, "/config", ReadOnly: true),
            new MountSpec(MountKind.Tmpfs, "", "/scratch", Options: "size=1m"));

        Assert.True((await h.Engine.ApplyAsync(h.Release(1, web), null, Ct)).Succeeded);

        var id = Assert.Single(await h.ContainersAsync()).Id;
        Assert.Equal("answer=42", (await h.Runtime.ExecAsync(id, ["cat", "/config/app.conf"], Ct)).Output);
        var write = await h.Runtime.ExecAsync(id, ["sh", "-c", "echo changed > /config/app.conf"], Ct);
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("Read-only file system", write.Output, StringComparison.Ordinal);
        Assert.Equal("answer=42", await File.ReadAllTextAsync(Path.Combine(config, "app.conf"), Ct));
        Assert.Contains("tmpfs /scratch tmpfs", (await h.Runtime.ExecAsync(id, ["cat", "/proc/mounts"], Ct)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_EveryRefusedMount_RefusedWithReasonAndNothingCreated()
    {
        await using var h = new DeployHarness();
        var state = h.Options.Value.StateDirectory;
        var refused = new (string Source, string Message)[]
        {
            ("/", "the host's root folder '/' cannot be mounted"),
            ("/etc", "the host's '/etc' cannot be mounted"),
            ("/srv/../etc/shadow", "contains '..'"),
            (state, "holds the Fleet agent's own state"),
            (Path.Combine(state, "deploy"), "holds the Fleet agent's own state"),
            ("/var/run/docker.sock", "exposes the Docker socket, which is root on the host"),
            ("srv/data", "is not an absolute host path"),
        };

        foreach (var (source, message) in refused)
        {
            var web = Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"), "r1", new MountSpec(MountKind.Bind, source, "/mnt"));

            var result = await h.Engine.ApplyAsync(h.Release(1, web), null, Ct);

            Assert.False(result.Succeeded);
            Assert.Contains($"volume {source}:/mnt refused: ", result.Reason, StringComparison.Ordinal);
            Assert.Contains(message, result.Reason, StringComparison.Ordinal);
        }

        Assert.Empty(await h.ContainersAsync());
        Assert.Empty(await h.Runtime.ListVolumesAsync(new Dictionary<string, string> { [SlotContainers.AppLabel] = h.App }, Ct));
        Assert.Null(h.Journal.Get(h.App, "web"));
    }
}

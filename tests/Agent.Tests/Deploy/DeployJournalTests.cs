using Fleet.Agent.Deploy;

namespace Fleet.Agent.Tests.Deploy;

public sealed class DeployJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-journal-").FullName;

    private string JournalPath => Path.Combine(_dir, "deploy", "journal.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Set_ThenReloadFromDisk_ReturnsSameEntry()
    {
        var entry = new ServiceJournal("shop", "web", Record(2, "b", 20001), Record(3, "a", 20002), Record(1, "a", 20000));
        new DeployJournal(JournalPath).Set(entry);

        var reloaded = new DeployJournal(JournalPath).Get("shop", "web");

        Assert.NotNull(reloaded);
        Assert.Equal(entry.Applied!.Spec.Image, reloaded.Applied!.Spec.Image);
        Assert.Equal(entry.Applied.Spec.Health, reloaded.Applied.Spec.Health);
        Assert.Equal([3, 2, 1], new[] { reloaded.Pending!.Release, reloaded.Applied.Release, reloaded.Previous!.Release });
        Assert.Equal("127.0.0.1:20001", reloaded.Applied.Endpoint);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Set_Always_WritesOwnerOnlyFileAndLeavesNoTempFile()
    {
        new DeployJournal(JournalPath).Set(new ServiceJournal("shop", "web", Record(1, "a", 20000), null, null));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(JournalPath));
        Assert.Equal(["journal.json"], Directory.GetFiles(Path.GetDirectoryName(JournalPath)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_CrashLeftHalfWrittenTempFile_ReadsLastCompleteJournal()
    {
        new DeployJournal(JournalPath).Set(new ServiceJournal("shop", "web", Record(1, "a", 20000), null, null));
        // A crash between writing the temp file and the rename leaves this behind.
        File.WriteAllText(JournalPath + ".tmp", "{\"version\":1,\"services\":[{\"app\":\"sh");

        var journal = new DeployJournal(JournalPath);

        Assert.Equal(1, journal.Get("shop", "web")!.Applied!.Release);
        journal.Set(new ServiceJournal("shop", "web", Record(2, "b", 20001), null, null));
        Assert.Equal(2, new DeployJournal(JournalPath).Get("shop", "web")!.Applied!.Release);
    }

    [Fact]
    public void Load_CorruptJournal_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(JournalPath)!);
        File.WriteAllText(JournalPath, "not json");

        var error = Assert.Throws<InvalidDataException>(() => new DeployJournal(JournalPath));

        Assert.Contains(JournalPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_NothingAppliedOrPending_DropsEntry()
    {
        var journal = new DeployJournal(JournalPath);
        journal.Set(new ServiceJournal("shop", "web", null, Record(1, "a", 20000), null));

        journal.Set(new ServiceJournal("shop", "web", null, null, null));

        Assert.Null(new DeployJournal(JournalPath).Get("shop", "web"));
    }

    [Fact]
    public void ReservedPortsAndActiveEndpoints_MixedEntries_ReflectAppliedAndPending()
    {
        var journal = new DeployJournal(JournalPath);
        journal.Set(new ServiceJournal("shop", "web", Record(2, "b", 20001), Record(3, "a", 20002), Record(1, "a", 20000)));
        journal.Set(new ServiceJournal("shop", "api", null, Record(1, "a", 20005), null));

        Assert.Equal(new HashSet<int> { 20001, 20002, 20005 }, journal.ReservedPorts());
        var endpoint = Assert.Single(journal.ActiveEndpoints());
        Assert.Equal(new ActiveEndpoint("shop", "web", 2, "b", "127.0.0.1:20001"), endpoint);
    }

    private static SlotRecord Record(long release, string slot, int port) => new(
        release,
        slot,
        port,
        new SlotAssignment(slot, port).Endpoint,
        new ServiceSpec(
            "web",
            "registry.example/shop@sha256:" + new string('a', 64),
            new HealthCheckSpec(HealthCheckKind.Http, "/health", Interval: TimeSpan.FromSeconds(1)),
            Env: new Dictionary<string, string> { ["MODE"] = "prod" }),
        DateTimeOffset.UnixEpoch);
}

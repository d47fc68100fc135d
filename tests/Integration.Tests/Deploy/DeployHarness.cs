using Fleet.Agent.Deploy;
using Fleet.Agent.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fleet.Integration.Tests.Deploy;

/// <summary>A swap engine over the real Docker engine and registry, with its own journal, app name and port range.</summary>
internal sealed class DeployHarness : IAsyncDisposable
{
    private readonly string _dir;
    private readonly List<IDisposable> _owned = [];

    public DeployHarness(long minFreeDiskBytes = 0, string proxyAdminSocket = "")
    {
        Require("DOCKER_HOST");
        Registry = Require("FLEET_TEST_REGISTRY");
        _dir = Directory.CreateTempSubdirectory("fleet-deploy-").FullName;
        var first = Random.Shared.Next(21000, 39000);
        Options = Microsoft.Extensions.Options.Options.Create(new DeployOptions
        {
            JournalPath = Path.Combine(_dir, "journal.json"),
            PortRangeStart = first,
            PortRangeEnd = first + 20,
            MinFreeDiskBytes = minFreeDiskBytes,
            DrainDelay = TimeSpan.FromMilliseconds(200),
            StopGrace = TimeSpan.FromSeconds(1),
            LogTailLines = 20,
            StateDirectory = Path.Combine(_dir, "state"),
        });
        Runtime = Own(new DockerContainerRuntime());
        Docker = Own(new Docker.DotNet.DockerClientConfiguration(new Uri(Require("DOCKER_HOST"))).CreateClient());
        Journal = new DeployJournal(Options.Value.JournalPath);
        Traffic = Own(new TrafficSwitch(
            Microsoft.Extensions.Options.Options.Create(new TrafficOptions { AdminSocket = proxyAdminSocket, DrainPollInterval = TimeSpan.FromMilliseconds(20) }),
            Options, Journal, TimeProvider.System, NullLogger<TrafficSwitch>.Instance));
        Engine = CreateEngine();
    }

    public string App { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    public string Registry { get; }

    public IOptions<DeployOptions> Options { get; }

    public DockerContainerRuntime Runtime { get; }

    public DeployJournal Journal { get; }

    /// <summary>The Docker engine itself, for looking at what the agent created (volumes, mounts, limits).</summary>
    public Docker.DotNet.DockerClient Docker { get; }

    /// <summary>A folder of this test on the host (not the agent's state folder), for bind mounts.</summary>
    public string HostFolder(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    public SwapEngine Engine { get; }

    public TrafficSwitch Traffic { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static string Image(string variable) => Require(variable);

    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests through ./scripts/test.sh, which starts Docker, the registry and the test images.");

    public static ServiceSpec Web(string image, UpdateOrder order = UpdateOrder.StartFirst, IReadOnlyList<HookSpec>? hooks = null) =>
        new("web", image, HttpCheck(), Order: order, PreDeployHooks: hooks);

    public static HealthCheckSpec HttpCheck() => new(
        HealthCheckKind.Http, "/health", Interval: TimeSpan.FromMilliseconds(200), Timeout: TimeSpan.FromSeconds(1), Retries: 3);

    public DeployRequest Release(long release, params ServiceSpec[] services) => new(App, release, services);

    private SwapEngine CreateEngine()
    {
        var checks = Own(new ServiceHealthCheck(Runtime));
        var containers = new SlotContainers(Runtime, Options);
        return new SwapEngine(
            Runtime, Journal, new SlotAllocator(Options), containers, new HealthProbe(TimeProvider.System), checks,
            new DiskSpaceGuard(Options), Own(new DeployGate()), Traffic, Options, TimeProvider.System, NullLogger<SwapEngine>.Instance);
    }

    /// <summary>What a restarted agent process builds: a reconciler over a journal read afresh from disk.</summary>
    public Reconciler NewReconciler(DeployJournal journal) => new(
        Runtime, journal, new SlotContainers(Runtime, Options), new HealthProbe(TimeProvider.System),
        Own(new ServiceHealthCheck(Runtime)), Own(new DeployGate()), Traffic, NullLogger<Reconciler>.Instance);

    /// <summary>The agent's liveness monitor over this harness's journal; tests drive it with CheckOnceAsync.</summary>
    public LivenessMonitor NewLivenessMonitor() => new(
        Journal, new SlotContainers(Runtime, Options), Own(new ServiceHealthCheck(Runtime)), new HealthProbe(TimeProvider.System), Runtime,
        Own(new DeployGate()), Options, TimeProvider.System, NullLogger<LivenessMonitor>.Instance);

    public async Task<IReadOnlyList<ContainerSummary>> ContainersAsync(string service = "web") =>
        await new SlotContainers(Runtime, Options).ListAsync(App, service, TestContext.Current.CancellationToken);

    public async Task<string> GetAsync(string endpoint, string path)
    {
        using var response = await Http.GetAsync(new Uri($"http://{endpoint}{path}"), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await Runtime.ListAsync(
            new Dictionary<string, string> { [SlotContainers.AppLabel] = App }, CancellationToken.None))
        {
            await Runtime.RemoveAsync(container.Id, CancellationToken.None);
        }

        foreach (var volume in await Runtime.ListVolumesAsync(
            new Dictionary<string, string> { [SlotContainers.AppLabel] = App }, CancellationToken.None))
        {
            await Docker.Volumes.RemoveAsync(volume.Name, force: true, CancellationToken.None);
        }

        Http.Dispose();
        _owned.Reverse();
        _owned.ForEach(d => d.Dispose());
        Directory.Delete(_dir, recursive: true);
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}

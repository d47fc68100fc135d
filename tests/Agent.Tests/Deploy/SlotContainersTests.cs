using Fleet.Agent.Deploy;
using Microsoft.Extensions.Options;
using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Tests.Deploy;

public sealed class SlotContainersTests
{
    private const string Image = "r/shop@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly RecordingRuntime _runtime = new();

    [Fact]
    public async Task CreateAsync_HostNetwork_PortEnvIsSlotPortAndNothingPublished()
    {
        var spec = new ServiceSpec("web", Image, new HealthCheckSpec(HealthCheckKind.Http), Env: new Dictionary<string, string> { ["MODE"] = "prod" });

        await Containers().CreateAsync("shop", Record(spec), TestContext.Current.CancellationToken);

        var created = Assert.Single(_runtime.Created);
        Assert.Equal("fleet-shop-web-b", created.Name);
        Assert.Equal("host", created.Network);
        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "prod", ["PORT"] = "20007" }, created.Env);
        Assert.Empty(created.PublishedPorts);
        Assert.Equal(
            new Dictionary<string, string> { ["fleet.app"] = "shop", ["fleet.service"] = "web", ["fleet.release"] = "4", ["fleet.slot"] = "b" },
            created.Labels);
        Assert.Equal(RestartPolicy.UnlessStopped, created.Restart);
        Assert.Equal(["fleet-shop-web-b"], _runtime.Removed);
    }

    [Fact]
    public async Task CreateAsync_BridgeNetwork_PublishesSlotPortToContainerPortOnLoopback()
    {
        var spec = new ServiceSpec(
            "web", Image, new HealthCheckSpec(HealthCheckKind.Http), Network: "shop-net", ContainerPort: 8080,
            PublishedPorts: [new PortSpec(9000, 29000)]);

        await Containers().CreateAsync("shop", Record(spec), TestContext.Current.CancellationToken);

        var created = Assert.Single(_runtime.Created);
        Assert.Equal("shop-net", created.Network);
        Assert.Equal("8080", created.Env["PORT"]);
        Assert.Equal([new PortSpec(8080, 20007), new PortSpec(9000, 29000)], created.PublishedPorts);
    }

    [Fact]
    public async Task CreateHookAsync_Always_OneOffContainerLabelledAsHook()
    {
        var spec = new ServiceSpec(
            "web", Image, new HealthCheckSpec(HealthCheckKind.Http),
            PreDeployHooks: [new HookSpec("migrate", ["./migrate"], TimeSpan.FromMinutes(1))]);

        await Containers().CreateHookAsync("shop", 4, spec, 0, TestContext.Current.CancellationToken);

        var created = Assert.Single(_runtime.Created);
        Assert.Equal("migrate", created.Labels[SlotContainers.HookLabel]);
        Assert.False(created.Labels.ContainsKey(SlotContainers.SlotLabel));
        Assert.Equal(["./migrate"], created.Command);
        Assert.Equal(RestartPolicy.Never, created.Restart);
    }

    private SlotContainers Containers() => new(_runtime, Options.Create(new DeployOptions()));

    private static SlotRecord Record(ServiceSpec spec) => new(4, "b", 20007, "127.0.0.1:20007", spec, DateTimeOffset.UnixEpoch);

    private sealed class RecordingRuntime : IContainerRuntime
    {
        public List<ContainerSpec> Created { get; } = [];

        public List<string> Removed { get; } = [];

        public Task EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            Created.Add(spec);
            return Task.FromResult("id-" + Created.Count);
        }

        public Task RemoveAsync(string id, CancellationToken cancellationToken)
        {
            Removed.Add(id);
            return Task.CompletedTask;
        }

        public Task PullAsync(ImageReference image, IProgress<PullProgress> progress, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> GetRepoDigestsAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> GetDataRootAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StartAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RestartAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ContainerStatus?> InspectAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<long> WaitAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> LogTailAsync(string id, int lines, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

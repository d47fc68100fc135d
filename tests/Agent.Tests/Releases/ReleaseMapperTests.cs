using Fleet.Agent.Releases;
using Fleet.Core.Releases;
using Swap = Fleet.Agent.Deploy;

namespace Fleet.Agent.Tests.Releases;

public sealed class ReleaseMapperTests
{
    private const string Image = "127.0.0.1:5000/shop/web@" + ReleasesHarness.Digest;
    private const string OtherImage = "127.0.0.1:5000/shop/tools@" + ReleasesHarness.Digest;

    [Fact]
    public void Map_ServiceWithoutPorts_HostNetworkWithEveryHealthField()
    {
        var manifest = Manifest(Web() with
        {
            Command = ["/bin/serve"],
            Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["LOG"] = "debug" },
            UpdateOrder = UpdateOrder.StopFirst,
            Health = new HealthCheckSpec
            {
                Type = HealthCheckType.Http, Path = "/ready", Port = 8080, Interval = TimeSpan.FromSeconds(3),
                Timeout = TimeSpan.FromSeconds(1), Retries = 4, StartPeriod = TimeSpan.FromSeconds(7),
            },
        });

        var request = ReleaseMapper.Map(manifest, runOnceHooks: false);

        Assert.Equal(("shop", 12L), (request.App, request.Release));
        var web = Assert.Single(request.Services);
        Assert.Equal(("web", Image, Swap.ServiceSpec.HostNetwork, 0), (web.Name, web.Image, web.Network, web.ContainerPort));
        Assert.Equal(["/bin/serve"], web.Command);
        Assert.Equal("debug", web.Env!["LOG"]);
        Assert.Equal(Swap.UpdateOrder.StopFirst, web.Order);
        Assert.Equal(
            (Swap.HealthCheckKind.Http, "/ready", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 4, TimeSpan.FromSeconds(7)),
            (web.Health.Kind, web.Health.Path, web.Health.Interval, web.Health.Timeout, web.Health.Retries, web.Health.StartPeriod));
        Assert.Empty(web.PreDeployHooks!);
    }

    [Fact]
    public void Map_ServiceWithPorts_BridgeOnTheHealthPortPublishingTheOthers()
    {
        var manifest = Manifest(Web() with
        {
            Ports = [new PortMapping { ContainerPort = 8080, HostPort = 8080 }, new PortMapping { ContainerPort = 9090, HostPort = 19090, Protocol = PortProtocol.Udp }],
        });

        var web = Assert.Single(ReleaseMapper.Map(manifest, runOnceHooks: false).Services);

        Assert.Equal(("bridge", 8080), (web.Network, web.ContainerPort));
        Assert.Equal([new Swap.PortSpec(9090, 19090, "udp")], web.PublishedPorts);
    }

    [Fact]
    public void Map_OnceAndEachHostHooks_OnceHooksOnlyWhenAsked()
    {
        var manifest = Manifest(Web()) with
        {
            Release = Manifest(Web()).Release with
            {
                Hooks =
                [
                    new HookSpec { Name = "migrate", Service = "web", Image = Image, Command = ["migrate"], Run = HookRun.Once, Timeout = TimeSpan.FromMinutes(2) },
                    new HookSpec { Name = "warm", Image = Image, Command = ["warm"], Run = HookRun.EachHost },
                ],
            },
        };

        var withoutOnce = ReleaseMapper.Map(manifest, runOnceHooks: false).Services[0].PreDeployHooks!;
        var withOnce = ReleaseMapper.Map(manifest, runOnceHooks: true).Services[0].PreDeployHooks!;

        Assert.Equal(["warm"], withoutOnce.Select(h => h.Name));
        Assert.Equal(["migrate", "warm"], withOnce.Select(h => h.Name));
        Assert.Equal(["migrate"], withOnce[0].Command);
        Assert.Equal(TimeSpan.FromMinutes(2), withOnce[0].Timeout);
    }

    [Fact]
    public void Map_ExampleInRepository_AcceptedByTheAgent()
    {
        var release = ReleaseFile.Load(Path.Combine(RepositoryRoot(), "examples", "fleet.yaml"));
        var pinned = release.WithImages(release.Images().Select(i => i.Image).Distinct().ToDictionary(i => i, i => i[..i.LastIndexOf(':')] + "@" + ReleasesHarness.Digest));
        var manifest = ReleaseManifest.Create(pinned, "production", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1));

        var request = ReleaseMapper.Map(manifest, runOnceHooks: true);

        Assert.Null(Swap.DeployRequestValidator.Validate(request, MountRules.DefaultAgentStateFolder));
        Assert.Equal(2, request.Services.Single(s => s.Name == "web").Mounts!.Count);
    }

    [Fact]
    public void Map_VolumesBindMountsAndTmpfs_MappedWithCapabilities()
    {
        var manifest = Manifest(Web() with
        {
            Volumes = [new VolumeMount { Source = "data", Target = "/data" }, new VolumeMount { Source = "/etc/shop", Target = "/etc/shop", ReadOnly = true }],
            Tmpfs = [new TmpfsMount { Target = "/run/cache", Options = "size=1m" }],
            Capabilities = ["docker-socket"],
        });

        var web = Assert.Single(ReleaseMapper.Map(manifest, runOnceHooks: false).Services);

        Assert.Equal(
            [
                new Swap.MountSpec(Swap.MountKind.Volume, "data", "/data"),
                new Swap.MountSpec(Swap.MountKind.Bind, "/etc/shop", "/etc/shop", ReadOnly: true),
                new Swap.MountSpec(Swap.MountKind.Tmpfs, "", "/run/cache", Options: "size=1m"),
            ],
            web.Mounts);
        Assert.Equal(["docker-socket"], web.Capabilities!);
    }

    [Fact]
    public void Map_ResourcesAndRestart_PassedToTheEngine()
    {
        var manifest = Manifest(Web() with
        {
            Resources = new ResourcesSpec { MemoryBytes = 512L << 20, Cpus = 1.5m },
            Restart = new RestartSpec { Policy = RestartPolicyType.OnFailure, MaxRetries = 3 },
        });

        var web = Assert.Single(ReleaseMapper.Map(manifest, runOnceHooks: false).Services);

        Assert.Equal(new Swap.ResourceLimits(512L << 20, 1.5m), web.Resources);
        Assert.Equal(new Swap.RestartPolicy(Swap.RestartKind.OnFailure, 3), web.Restart);
    }

    [Fact]
    public void Map_HooksWithOwnImageOrBorrowedService_RunBeforeTheFirstServiceWithTheirEnvironment()
    {
        var worker = Web() with { Name = "worker", Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["DB"] = "db1", ["MODE"] = "work" } };
        var manifest = Manifest(Web());
        manifest = manifest with
        {
            Release = manifest.Release with
            {
                Services = [Web(), worker],
                Hooks =
                [
                    new HookSpec { Name = "seed", Image = OtherImage, Command = ["seed"], Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["SEED"] = "1" } },
                    new HookSpec { Name = "migrate", Service = "worker", Image = Image, Command = ["migrate"], Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["MODE"] = "migrate" } },
                ],
            },
        };

        var request = ReleaseMapper.Map(manifest, runOnceHooks: true);

        var hooks = request.Services[0].PreDeployHooks!;
        Assert.Empty(request.Services[1].PreDeployHooks!);
        Assert.Equal((OtherImage, "1"), (hooks[0].Image, hooks[0].Env!["SEED"]));
        Assert.Single(hooks[0].Env!);
        Assert.Equal(new Dictionary<string, string> { ["DB"] = "db1", ["MODE"] = "migrate" }, hooks[1].Env);
    }

    [Fact]
    public void Map_NoHealthCheckAndLiveness_RunningCheckAndLivenessAfterMinHealthyTime()
    {
        var manifest = Manifest(Web() with { Health = null, Liveness = new HealthCheckSpec { Type = HealthCheckType.Http, Path = "/live", Port = 9000 } });

        var web = Assert.Single(ReleaseMapper.Map(manifest, runOnceHooks: false).Services);

        Assert.Equal((Swap.HealthCheckKind.Running, TimeSpan.FromSeconds(5)), (web.Health.Kind, web.Health.StartPeriod));
        Assert.Equal((Swap.HealthCheckKind.Http, "/live"), (web.Liveness!.Kind, web.Liveness.Path));
        Assert.Equal(manifest.Release.MinHealthyTime, web.LivenessDelay);
    }

    private static ServiceSpec Web() => new()
    {
        Name = "web",
        Image = Image,
        Health = new HealthCheckSpec { Type = HealthCheckType.Tcp, Port = 8080 },
    };

    private static ReleaseManifest Manifest(ServiceSpec service) => new()
    {
        Environment = "staging",
        Sequence = 12,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddHours(1),
        Release = new ReleaseDefinition { App = "shop", Services = [service] },
    };

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Agents.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Agents.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Runtime.Versioning;
using Docker.DotNet;
using Docker.DotNet.Models;
using Fleet.Agent.Deploy;
using Fleet.Integration.Tests.Deploy;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Acme;

/// <summary>The reload action against the real Docker engine: a renewal sends SIGHUP to a Fleet service's running container.</summary>
[Collection(AcmeTestGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class CertificateReloadDockerTests : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("fleet-acme-reload-").FullName;
    private readonly string _app = "c" + Guid.NewGuid().ToString("N")[..10];
    private DockerClient _docker = null!;
    private string? _container;

    private string Signals => Path.Combine(_state, "out", "signals");

    public async ValueTask InitializeAsync()
    {
        _docker = new DockerClientConfiguration(new Uri(DeployHarness.Require("DOCKER_HOST"))).CreateClient();
        var image = DeployHarness.Image("FLEET_TEST_IMAGE_GOOD");
        var at = image.IndexOf('@', StringComparison.Ordinal);
        await _docker.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = image[..at], Tag = image[(at + 1)..] }, null, new Progress<JSONMessage>(), CancellationToken.None);
        Directory.CreateDirectory(Path.GetDirectoryName(Signals)!);
        var created = await _docker.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = image,
                Name = $"fleet-{_app}-web-a",
                // Records each SIGHUP; "sleep & wait" lets the trap run at once instead of after the sleep.
                Cmd = ["/bin/sh", "-c", "trap 'echo hup >> /out/signals' HUP; echo ready > /out/ready; while true; do sleep 1 & wait $!; done"],
                Labels = new Dictionary<string, string> { [SlotContainers.AppLabel] = _app, [SlotContainers.ServiceLabel] = "web", [SlotContainers.SlotLabel] = "a" },
                HostConfig = new HostConfig { NetworkMode = "host", Binds = [$"{Path.GetDirectoryName(Signals)}:/out"] },
            },
            CancellationToken.None);
        _container = created.ID;
        await _docker.Containers.StartContainerAsync(_container, new ContainerStartParameters(), CancellationToken.None);
        await Eventually.ReturnsAsync(() => Task.FromResult(File.Exists(Path.Combine(_state, "out", "ready"))), ready => ready, TimeSpan.FromSeconds(20), "the container's trap to be set");
    }

    [Fact]
    public async Task RenewAsync_ReloadNamesAService_ItsRunningContainerGetsSighup()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var services = Services("web");

        var first = await services.Renewal.RenewAsync("web", force: false, ct);
        Assert.True(first.Succeeded, first.Error);
        await Eventually.ReturnsAsync(() => LinesAsync(ct), lines => lines.Count == 1, TimeSpan.FromSeconds(20), "one recorded SIGHUP");

        var forced = await services.Renewal.RenewAsync("web", force: true, ct);

        Assert.True(forced.Succeeded, forced.Error);
        var lines = await Eventually.ReturnsAsync(() => LinesAsync(ct), l => l.Count == 2, TimeSpan.FromSeconds(20), "a second SIGHUP");
        Assert.Equal(["hup", "hup"], lines);
        var inspected = await _docker.Containers.InspectContainerAsync(_container, ct);
        Assert.True(inspected.State.Running, "SIGHUP must reload, not stop, the container");
    }

    [Fact]
    public async Task RenewAsync_ReloadServiceHasNoRunningContainer_InstalledButReloadFailureReported()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var services = Services("api");

        var result = await services.Renewal.RenewAsync("api", force: false, ct);

        Assert.False(result.Succeeded);
        Assert.Contains($"no container of service {_app}/api is running", result.Error, StringComparison.Ordinal);
        Assert.NotNull(services.Installer.Load("api"));
    }

    // One certificate named after the service whose containers its reload signals.
    private AcmeServices Services(string service) => new(
        _state,
        AcmeTestEnvironment.PebbleDirectory,
        new CertificateDeclarationConfig(new Dictionary<string, string?>
        {
            ["Name"] = service,
            ["Domains:0"] = AcmeTestEnvironment.UniqueName(service),
            ["Challenge:Type"] = "http-01",
            ["Reload:Service"] = $"{_app}/{service}",
        }),
        $"127.0.0.1:{AcmeTestEnvironment.HttpPort}");

    private async Task<List<string>> LinesAsync(CancellationToken ct) =>
        File.Exists(Signals) ? [.. await File.ReadAllLinesAsync(Signals, ct)] : [];

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _docker.Containers.RemoveContainerAsync(_container, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }

        _docker.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}

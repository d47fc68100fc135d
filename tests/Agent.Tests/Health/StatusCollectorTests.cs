using Fleet.Agent.Health;
using Fleet.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Health;

public sealed class StatusCollectorTests
{
    [Fact]
    public void SampleCpu_FirstSample_IsZeroThenShareSincePrevious()
    {
        using var dir = new TempDir();
        var collector = new StatusCollector(dir.Path, new FakeDocker(null), new FakeTimeProvider(), NullLogger<StatusCollector>.Instance);

        Assert.Equal(0, collector.SampleCpu(new CpuTimes(1000, 900)));
        Assert.Equal(50.0, collector.SampleCpu(new CpuTimes(1100, 950)), precision: 6);
    }

    [Fact]
    public async Task CollectAsync_DockerUnreachable_ReportsItAndStillFillsHostFields()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider();
        var collector = new StatusCollector(dir.Path, new FakeDocker(null), time, NullLogger<StatusCollector>.Instance);

        var snapshot = await collector.CollectAsync(TestContext.Current.CancellationToken);

        Assert.False(snapshot.DockerReachable);
        Assert.Equal("", snapshot.DockerVersion);
        Assert.Equal(time.GetUtcNow(), snapshot.TakenAt.ToDateTimeOffset());
        Assert.True(snapshot.MemoryTotalBytes > 0);
        Assert.True(snapshot.DiskTotalBytes > 0);
        Assert.Equal(Environment.MachineName, snapshot.Hostname);
        Assert.False(string.IsNullOrEmpty(snapshot.AgentVersion));
    }

    [Fact]
    public async Task CollectAsync_DockerAnswers_ReportsItsVersion()
    {
        using var dir = new TempDir();
        var collector = new StatusCollector(dir.Path, new FakeDocker("27.1.0"), new FakeTimeProvider(), NullLogger<StatusCollector>.Instance);

        var snapshot = await collector.CollectAsync(TestContext.Current.CancellationToken);

        Assert.True(snapshot.DockerReachable);
        Assert.Equal("27.1.0", snapshot.DockerVersion);
    }

    private sealed class FakeDocker(string? version) : IDockerProbe
    {
        public Task<string?> GetVersionAsync(CancellationToken cancellationToken) => Task.FromResult(version);
    }
}

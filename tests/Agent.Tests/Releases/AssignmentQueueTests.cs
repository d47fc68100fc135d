using Fleet.Agent.Connection;
using Fleet.Agent.Deploy;
using Fleet.Contracts.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Tests.Releases;

public sealed class AssignmentQueueTests : IDisposable
{
    private readonly ReleasesHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_TwoAssignmentsForOneApp_HandledInOrderAfterStart()
    {
        _harness.InstallTrust();
        var queue = _harness.Queue;
        queue.Post(ReleasesHarness.Apply(_harness.Manifest(sequence: 5, environment: "production").Sign([_harness.Keys.Alice]), sequence: 5));
        queue.Post(ReleasesHarness.Apply(_harness.Manifest(sequence: 6, environment: "production").Sign([_harness.Keys.Alice]), sequence: 6));

        await queue.StartAsync(Token);
        await queue.IdleAsync().WaitAsync(TimeSpan.FromSeconds(10), Token);
        await queue.StopAsync(Token);

        var events = await _harness.Outbox.ReadPendingAsync(0, 10, Token);
        Assert.Equal([5L, 6L], events.Select(e => e.ReleaseSequence));
        Assert.All(events, e => Assert.Equal(AgentEventKind.Refused, e.Kind));
    }

    [Fact]
    public void Applied_JournalServesARelease_ReportedWithTheAgentsEnvironment()
    {
        var spec = new ServiceSpec("web", "x@" + ReleasesHarness.Digest, new HealthCheckSpec(HealthCheckKind.Tcp));
        _harness.Journal.Set(new ServiceJournal("shop", "web", new SlotRecord(7, "a", 20000, "127.0.0.1:20000", spec, _harness.Time.GetUtcNow()), null, null));

        var applied = Assert.Single(_harness.Queue.Applied());

        Assert.Equal(("shop", "staging", 7L), (applied.App, applied.Environment, applied.Sequence));
        Assert.Same(_harness.Queue, _harness.Provider.GetRequiredService<IReleaseAssignments>());
    }

    public void Dispose() => _harness.Dispose();
}

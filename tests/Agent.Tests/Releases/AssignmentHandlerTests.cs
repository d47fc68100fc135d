using Fleet.Agent.Deploy;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Agent.Tests.Releases;

public sealed class AssignmentHandlerTests : IDisposable
{
    private readonly ReleasesHarness _harness = new();

    [Fact]
    public async Task HandleAsync_NoTrustPolicyInstalled_RefusedWithoutTouchingDocker()
    {
        var events = await _harness.HandleAsync(ReleasesHarness.Apply(_harness.Manifest().Sign([_harness.Keys.Alice])));

        AssertRefused("NoTrustPolicy", events);
    }

    [Fact]
    public async Task HandleAsync_SignedByUnknownKey_Refused()
    {
        _harness.InstallTrust();
        using var stranger = Fleet.Core.Trust.OperatorKey.Generate("mallory");

        var events = await _harness.HandleAsync(ReleasesHarness.Apply(_harness.Manifest().Sign([stranger])));

        AssertRefused(nameof(ReleaseRefusalCode.NoTrustedSignature), events);
    }

    [Fact]
    public async Task HandleAsync_OtherEnvironment_Refused()
    {
        _harness.InstallTrust();

        var events = await _harness.HandleAsync(ReleasesHarness.Apply(_harness.Manifest(environment: "production").Sign([_harness.Keys.Alice, _harness.Keys.Bob])));

        AssertRefused(nameof(ReleaseRefusalCode.EnvironmentMismatch), events);
    }

    [Fact]
    public async Task HandleAsync_AgentWithoutEnvLabel_RefusedNamingTheLabel()
    {
        using var unlabelled = new ReleasesHarness(environment: "");
        unlabelled.InstallTrust();

        var events = await unlabelled.HandleAsync(ReleasesHarness.Apply(unlabelled.Manifest().Sign([unlabelled.Keys.Alice])));

        var refused = Assert.Single(events);
        Assert.Equal((AgentEventKind.Refused, "NoEnvironment"), (refused.Kind, refused.Step));
        Assert.Contains("--label env=", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(0, unlabelled.Runtime.Calls);
    }

    [Fact]
    public async Task HandleAsync_SequenceAlreadyPassedInJournal_RefusedAsReplay()
    {
        _harness.InstallTrust();
        var slot = new SlotRecord(7, "a", 20000, "127.0.0.1:20000", new Fleet.Agent.Deploy.ServiceSpec("web", "x@" + ReleasesHarness.Digest, new Fleet.Agent.Deploy.HealthCheckSpec(HealthCheckKind.Http)), _harness.Time.GetUtcNow());
        _harness.Journal.Set(new ServiceJournal("shop", "web", slot, null, null));

        var events = await _harness.HandleAsync(ReleasesHarness.Apply(_harness.Manifest(sequence: 5).Sign([_harness.Keys.Alice])));

        AssertRefused(nameof(ReleaseRefusalCode.SequenceNotNewer), events);
        Assert.Contains("older than the last applied sequence 7", events[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_AssignmentNamesAnotherSequenceThanTheSignedOne_Refused()
    {
        _harness.InstallTrust();

        var events = await _harness.HandleAsync(ReleasesHarness.Apply(_harness.Manifest(sequence: 5).Sign([_harness.Keys.Alice]), sequence: 6));

        AssertRefused("AssignmentMismatch", events);
    }

    [Fact]
    public async Task HandleAsync_SameAssignmentTwice_SecondReReportsTheOutcome()
    {
        _harness.InstallTrust();
        var assignment = ReleasesHarness.Apply(_harness.Manifest(environment: "production").Sign([_harness.Keys.Alice]));

        await _harness.HandleAsync(assignment);
        var events = await _harness.HandleAsync(assignment);

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(AgentEventKind.Refused, e.Kind));
        Assert.Equal(events[0].Detail, events[1].Detail);
        Assert.Equal([1L, 2L], events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task HandleAsync_RevertWithoutPreviousRelease_FailsWithReason()
    {
        var events = await _harness.HandleAsync(new ReleaseAssignment
        {
            RolloutId = "r1", App = "shop", Sequence = 5, Action = AssignmentAction.Revert, RevertToSequence = 4,
        });

        var failed = Assert.Single(events);
        Assert.Equal(AgentEventKind.Failed, failed.Kind);
        Assert.Equal(4, failed.ReleaseSequence);
        Assert.Contains("cannot revert shop to release 4", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Runtime.Calls);
    }

    public void Dispose() => _harness.Dispose();

    private void AssertRefused(string code, IReadOnlyList<AgentEvent> events)
    {
        var refused = Assert.Single(events);
        Assert.Equal(AgentEventKind.Refused, refused.Kind);
        Assert.Equal(code, refused.Step);
        Assert.Equal("shop", refused.App);
        Assert.Equal("r1", refused.RolloutId);
        Assert.False(string.IsNullOrEmpty(refused.Detail));
        Assert.Equal(0, _harness.Runtime.Calls);
        Assert.DoesNotContain(_harness.Journal.All(), e => e.Pending is not null);
    }
}

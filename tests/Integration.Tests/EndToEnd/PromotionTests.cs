using Fleet.Integration.Tests.Deploy;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// Issue 19: fleetctl promote signs for production exactly the digests that ran in staging, and
/// fleetctl rollback finds a release by image digest. No agent carries the group used here, so every
/// rollout succeeds at once; what is checked is what was signed and stored.
/// </summary>
public sealed class PromotionTests(EndToEndFixture fleet) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task Promote_StagingReleasesToProduction_SameDigestsThenRollbackByDigest()
    {
        const string app = "promo";
        var v1 = DeployHarness.Image("FLEET_TEST_IMAGE_GOOD");
        var v2 = DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2");
        Assert.Equal(0, (await fleet.DeployAsync(fleet.ReleaseFile(app, "nobody", "FLEET_TEST_IMAGE_GOOD"))).ExitCode);
        Assert.Equal(0, (await fleet.DeployAsync(fleet.ReleaseFile(app, "nobody", "FLEET_TEST_IMAGE_GOOD_V2"))).ExitCode);

        var first = await fleet.Operator.RunAsync("promote", app, "--from", "staging", "--to", "production", "--sequence", "1", "--key", "alice", "--watch");
        var newest = await fleet.Operator.RunAsync("promote", app, "--from", "staging", "--to", "production", "--key", "alice", "--watch");
        var back = await fleet.Operator.RunAsync("rollback", app, "--env", "production", "--to-digest", v1[(v1.IndexOf('@') + 1)..][..19], "--key", "alice", "--watch");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(newest.ExitCode == 0, newest.ToString());
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal([v1], await fleet.StoredImagesAsync(app, "production", 1));
        Assert.Equal([v2], await fleet.StoredImagesAsync(app, "production", 2));
        Assert.Equal([v1], await fleet.StoredImagesAsync(app, "production", 3));
        var events = (await fleet.Operator.JsonAsync("events", "--app", app)).GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("subject").GetString(), e.GetProperty("detail").GetString())).ToList();
        Assert.Contains(("release.promote", $"{app}/production#1", $"from {app}/staging#1"), events);
        Assert.Contains(("release.promote", $"{app}/production#2", $"from {app}/staging#2"), events);
        Assert.Contains(events, e => e.Item1 == "release.rollback" && e.Item2 == $"{app}/production#3");
    }

    [Fact]
    public async Task Promote_UnknownSequenceSameEnvironmentOrNothingRan_RefusedAndNothingSubmitted()
    {
        const string app = "unpromoted";
        Assert.Equal(0, (await fleet.DeployAsync(fleet.ReleaseFile(app, "nobody", "FLEET_TEST_IMAGE_GOOD"))).ExitCode);

        var unknown = await fleet.Operator.RunAsync("promote", app, "--from", "staging", "--to", "production", "--sequence", "9", "--key", "alice");
        var same = await fleet.Operator.RunAsync("promote", app, "--from", "staging", "--to", "staging", "--key", "alice");
        var nothing = await fleet.Operator.RunAsync("promote", "never-deployed", "--from", "staging", "--to", "production", "--key", "alice");
        var badDigest = await fleet.Operator.RunAsync("rollback", app, "--env", "staging", "--to-digest", "sha256:abc", "--key", "alice");
        var noDigest = await fleet.Operator.RunAsync("rollback", app, "--env", "staging", "--to-digest", "sha256:0123456789abcdef", "--key", "alice");

        Assert.Equal((1, 2, 1, 2, 1), (unknown.ExitCode, same.ExitCode, nothing.ExitCode, badDigest.ExitCode, noDigest.ExitCode));
        Assert.Contains("no release #9 of unpromoted/staging", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("different environments", same.Stderr, StringComparison.Ordinal);
        Assert.Contains("has run to success yet", nothing.Stderr, StringComparison.Ordinal);
        Assert.Contains("--to-digest must be sha256:HEX", badDigest.Stderr, StringComparison.Ordinal);
        Assert.Contains("no earlier release of unpromoted/staging runs an image with digest", noDigest.Stderr, StringComparison.Ordinal);
        var production = await fleet.Operator.JsonAsync("releases", "list", "--app", app, "--env", "production");
        Assert.Equal(0, production.GetProperty("releases").GetArrayLength());
    }
}

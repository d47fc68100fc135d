using Fleet.Agent.Identity;

namespace Fleet.Integration.Tests.Foundation;

public sealed class EnrollmentTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Enroll_ValidToken_AgentConnectsAndReportsStatus()
    {
        await using var agent = await fleet.StartAgentAsync("enroll-ok");

        var shown = await fleet.WaitForStateAsync("enroll-ok", "connected");

        Assert.Equal("staging", shown.GetProperty("labels").GetProperty("env").GetString());
        var status = await Integration.Tests.Infrastructure.Eventually.ReturnsAsync(
            () => fleet.AgentAsync("enroll-ok"),
            a => a.TryGetProperty("status", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.Object,
            TimeSpan.FromSeconds(20),
            "a status snapshot");
        Assert.True(status.GetProperty("status").GetProperty("memoryTotalBytes").GetUInt64() > 0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent.KeyPath));
    }

    [Fact]
    public async Task Enroll_WrongToken_RefusedAndWritesNothing()
    {
        var state = fleet.Directory.Combine("refused", "wrong");
        var wrong = "fleet_join_0123456789abcdef_" + new string('x', 43);

        var error = await Assert.ThrowsAsync<EnrollmentException>(
            () => new Enroller().EnrollAsync(fleet.Enrollment("wrong-token", wrong, state), CancellationToken.None));

        Assert.Contains("token", error.Message, StringComparison.OrdinalIgnoreCase);
        AssertNothingWritten(state);
    }

    [Fact]
    public async Task Enroll_ReusedToken_RefusedAndWritesNothing()
    {
        var token = await fleet.JoinTokenAsync();
        await new Enroller().EnrollAsync(fleet.Enrollment("reuse-first", token), CancellationToken.None);
        var state = fleet.Directory.Combine("refused", "reused");

        var error = await Assert.ThrowsAsync<EnrollmentException>(
            () => new Enroller().EnrollAsync(fleet.Enrollment("reuse-second", token, state), CancellationToken.None));

        Assert.Contains("used", error.Message, StringComparison.OrdinalIgnoreCase);
        AssertNothingWritten(state);
    }

    [Fact]
    public async Task Enroll_ExpiredToken_RefusedAndWritesNothing()
    {
        var token = await fleet.JoinTokenAsync(ttl: "1s");
        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System, TestContext.Current.CancellationToken); // let the token's lifetime pass
        var state = fleet.Directory.Combine("refused", "expired");

        var error = await Assert.ThrowsAsync<EnrollmentException>(
            () => new Enroller().EnrollAsync(fleet.Enrollment("expired-token", token, state), CancellationToken.None));

        Assert.Contains("expired", error.Message, StringComparison.OrdinalIgnoreCase);
        AssertNothingWritten(state);
    }

    [Fact]
    public async Task Enroll_CaPinMismatch_RefusedBeforeTokenIsSpentAndWritesNothing()
    {
        var token = await fleet.JoinTokenAsync();
        var state = fleet.Directory.Combine("refused", "pin");
        var otherPin = "sha256:" + new string('0', 64);

        var error = await Assert.ThrowsAsync<EnrollmentException>(
            () => new Enroller().EnrollAsync(fleet.Enrollment("pin-mismatch", token, state, otherPin), CancellationToken.None));

        Assert.Contains("pin", error.Message, StringComparison.OrdinalIgnoreCase);
        AssertNothingWritten(state);
        // The token never reached the impostor, so it is still good for the real controller.
        await new Enroller().EnrollAsync(fleet.Enrollment("pin-mismatch", token), CancellationToken.None);
    }

    private static void AssertNothingWritten(string stateDirectory) =>
        Assert.True(!Directory.Exists(stateDirectory) || !Directory.EnumerateFileSystemEntries(stateDirectory).Any(),
            $"{stateDirectory} should be empty after a refused enrollment");
}

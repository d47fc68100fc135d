namespace Fleet.Integration.Tests.Foundation;

public sealed class ControllerRestartTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task KillAndRestart_AgentsReconnectAndNothingIsLost()
    {
        var token = await fleet.JoinTokenAsync(uses: 2);
        await using var a = await fleet.StartAgentAsync("restart-a", token);
        await using var b = await fleet.StartAgentAsync("restart-b", token);
        var before = await fleet.WaitForStateAsync("restart-a", "connected");
        await fleet.WaitForStateAsync("restart-b", "connected");
        var viewerToken = (await fleet.Admin.OkAsync("tokens", "create", "--role", "viewer")).Trim();
        var unusedJoinToken = await fleet.JoinTokenAsync();

        await fleet.Controller.KillAsync();
        await fleet.Controller.StartAsync(CancellationToken.None);

        var after = await fleet.WaitForStateAsync("restart-a", "connected", TimeSpan.FromSeconds(60));
        await fleet.WaitForStateAsync("restart-b", "connected", TimeSpan.FromSeconds(60));
        Assert.Equal(before.GetProperty("agentId").GetString(), after.GetProperty("agentId").GetString());
        Assert.Equal(before.GetProperty("enrolledAt").GetString(), after.GetProperty("enrolledAt").GetString());
        var viewer = fleet.NewOperator();
        await viewer.LoginAsync(fleet.Endpoint, viewerToken);
        var listed = await viewer.JsonAsync("agents", "list");
        Assert.Contains(listed.GetProperty("agents").EnumerateArray(), x => x.GetProperty("name").GetString() == "restart-b");
        await using var c = await fleet.StartAgentAsync("restart-c", unusedJoinToken);
        await fleet.WaitForStateAsync("restart-c", "connected");
    }
}

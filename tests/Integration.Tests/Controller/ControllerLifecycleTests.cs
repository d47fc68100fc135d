using System.Text.Json;
using Fleet.Contracts.V1;

namespace Fleet.Integration.Tests.Controller;

public sealed class ControllerLifecycleTests
{
    [Fact]
    public async Task FirstStart_DataFolder_SecretsOwnerOnlyAndEndpointJsonWritten()
    {
        await using var controller = await ControllerHarness.StartAsync();

        foreach (var secret in new[] { "ca.key", "server.key", "admin.token" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(controller.DataFolder, secret)));
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(controller.DataFolder, "endpoint.json"), TestContext.Current.CancellationToken));
        Assert.Equal(controller.Endpoint.Url, json.RootElement.GetProperty("url").GetString());
        Assert.Equal(controller.Endpoint.CaPin, json.RootElement.GetProperty("caPin").GetString());
        Assert.StartsWith("fleet_api_", controller.AdminToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_SameDataAndDatabase_SameCaAgentsAndAdminToken()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var pin = controller.Endpoint.CaPin;
        var adminToken = controller.AdminToken;
        using var agent = await controller.EnrollAsync("web-1");
        var (stream, _) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using (stream)
        {
            await stream.BeatAsync(1);
        }

        await controller.RestartAsync();

        Assert.Equal(pin, controller.Endpoint.CaPin);
        Assert.Equal(adminToken, controller.AdminToken);
        Assert.Equal(1L, await controller.Database.ScalarAsync("select count(*) from tokens where role = 'admin'"));
        Assert.NotNull(await controller.Database.ScalarAsync("select last_seen from agents where name = 'web-1'"));
        var (again, _) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using var __ = again;
        Assert.Equal(2, (await again.BeatAsync(2)).Sequence);
        var listed = await new AgentsService.AgentsServiceClient(controller.Channel())
            .GetAgentAsync(new GetAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(adminToken), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(AgentState.Connected, listed.Agent.State);
    }

    [Fact]
    public async Task Restart_MigrationsAlreadyApplied_NotReapplied()
    {
        await using var controller = await ControllerHarness.StartAsync();

        await controller.RestartAsync();

        Assert.Equal(1L, await controller.Database.ScalarAsync("select count(*) from schema_migrations where version = 1"));
    }
}

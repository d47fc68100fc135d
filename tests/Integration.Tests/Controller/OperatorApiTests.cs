using Fleet.Contracts.V1;
using Grpc.Core;
using Grpc.Health.V1;

namespace Fleet.Integration.Tests.Controller;

public sealed class OperatorApiTests
{
    [Fact]
    public async Task ListAgents_NoToken_UnauthenticatedWithHint()
    {
        await using var controller = await ControllerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new AgentsService.AgentsServiceClient(controller.Channel()).ListAgentsAsync(new ListAgentsRequest(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.StartsWith("missing or invalid API token", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAgents_UnknownToken_Unauthenticated()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var unknown = Fleet.Core.Transport.ApiToken.Create(Fleet.Core.Transport.ApiToken.ApiKind).Token;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new AgentsService.AgentsServiceClient(controller.Channel()).ListAgentsAsync(new ListAgentsRequest(), ControllerHarness.Bearer(unknown), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task CreateToken_ViewerToken_PermissionDeniedNamingRoles()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var viewer = await controller.CreateTokenAsync(TokenRole.Viewer);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokensService.TokensServiceClient(controller.Channel())
                .CreateTokenAsync(new CreateTokenRequest { Role = TokenRole.AgentJoin }, ControllerHarness.Bearer(viewer), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("this needs the admin role; the token has viewer", error.Status.Detail);
    }

    [Fact]
    public async Task WhoAmI_ViewerToken_ReportsRole()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var viewer = await controller.CreateTokenAsync(TokenRole.Viewer);

        var me = await new FleetService.FleetServiceClient(controller.Channel()).WhoAmIAsync(new WhoAmIRequest(), ControllerHarness.Bearer(viewer), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(TokenRole.Viewer, me.Role);
        Assert.Equal(16, me.TokenId.Length);
    }

    [Fact]
    public async Task RevokeAgent_DeployerToken_PermissionDenied()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        var deployer = await controller.CreateTokenAsync(TokenRole.Deployer);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new AgentsService.AgentsServiceClient(controller.Channel())
            .RevokeAgentAsync(new RevokeAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(deployer), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Null(await controller.Database.ScalarAsync("select revoked_at from agents where name = 'web-1' and revoked_at is not null"));
    }

    [Fact]
    public async Task CreateToken_UsesOnApiToken_InvalidArgument()
    {
        await using var controller = await ControllerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.CreateTokenAsync(TokenRole.Viewer, maxUses: 3));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("agent-join", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAgents_LabelSelector_OnlyMatchingAgents()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var web = await controller.EnrollAsync("web-1", labels: new Dictionary<string, string> { ["env"] = "prod", ["role"] = "web" });
        using var db = await controller.EnrollAsync("db-1", labels: new Dictionary<string, string> { ["env"] = "prod", ["role"] = "db" });
        var request = new ListAgentsRequest();
        request.LabelSelector.Add("role", "web");

        var listed = await new AgentsService.AgentsServiceClient(controller.Channel()).ListAgentsAsync(request, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["web-1"], listed.Agents.Select(a => a.Name));
    }

    [Fact]
    public async Task GetFleetStatus_OneConnectedOnePending_Counted()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var connected = await controller.EnrollAsync("web-1");
        using var pending = await controller.EnrollAsync("web-2");
        var (stream, _) = await AgentStream.OpenAsync(controller.Channel(connected.Certificate));
        using var _ = stream;
        await stream.BeatAsync(1);

        var status = await new FleetService.FleetServiceClient(controller.Channel())
            .GetFleetStatusAsync(new GetFleetStatusRequest(), ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, status.AgentsTotal);
        Assert.Equal(1, status.AgentsConnected);
        Assert.Equal(1, status.AgentsPending);
        Assert.False(string.IsNullOrEmpty(status.ControllerVersion));
    }

    [Fact]
    public async Task HealthCheck_NoCredentials_Serving()
    {
        await using var controller = await ControllerHarness.StartAsync();

        var health = await new Health.HealthClient(controller.Channel()).CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}

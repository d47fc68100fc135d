using Fleet.Contracts.V1;
using Grpc.Core;

namespace Fleet.Integration.Tests.Controller;

public sealed class EnrollmentTests
{
    [Fact]
    public async Task Enroll_ValidJoinToken_CertificateNamesAgentAndAgentIsPending()
    {
        await using var controller = await ControllerHarness.StartAsync();

        using var agent = await controller.EnrollAsync("web-1", labels: new Dictionary<string, string> { ["env"] = "staging" });

        Assert.Equal("CN=web-1", agent.Certificate.Subject);
        var listed = await new AgentsService.AgentsServiceClient(controller.Channel())
            .GetAgentAsync(new GetAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(agent.Id.ToString("D"), listed.Agent.AgentId);
        Assert.Equal(AgentState.Pending, listed.Agent.State);
        Assert.Equal("staging", listed.Agent.Labels["env"]);
    }

    [Fact]
    public async Task Enroll_ReusedJoinToken_PermissionDeniedAndNothingWritten()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var token = await controller.CreateTokenAsync(TokenRole.AgentJoin);
        using var first = await controller.EnrollAsync("web-1", token);

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAsync("web-2", token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("already used (1 of 1 uses)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1L, await controller.Database.ScalarAsync("select count(*) from agents"));
    }

    [Fact]
    public async Task Enroll_ExpiredJoinToken_PermissionDeniedSayingExpired()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var token = await controller.CreateTokenAsync(TokenRole.AgentJoin);
        await controller.Database.ScalarAsync("update tokens set expires_at = now() - interval '1 minute' where role = 'agent-join'");

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAsync("web-1", token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("the join token expired at", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, await controller.Database.ScalarAsync("select count(*) from agents"));
    }

    [Fact]
    public async Task Enroll_WrongSecret_PermissionDeniedAndUseNotCounted()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var token = await controller.CreateTokenAsync(TokenRole.AgentJoin);
        var forged = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAsync("web-1", forged));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("the join token is not valid", error.Status.Detail);
        Assert.Equal(0, await controller.Database.ScalarAsync("select uses from tokens where role = 'agent-join'"));
    }

    [Fact]
    public async Task Enroll_ApiTokenInsteadOfJoinToken_PermissionDenied()
    {
        await using var controller = await ControllerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAsync("web-1", controller.AdminToken));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("malformed", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_NameAlreadyEnrolled_AlreadyExistsAndTokenNotSpent()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var first = await controller.EnrollAsync("web-1");
        var token = await controller.CreateTokenAsync(TokenRole.AgentJoin);

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAsync("web-1", token));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("already enrolled", error.Status.Detail, StringComparison.Ordinal);
        using var second = await controller.EnrollAsync("web-2", token);
    }

    [Fact]
    public async Task Enroll_InvalidName_InvalidArgumentAndTokenNotSpent()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var token = await controller.CreateTokenAsync(TokenRole.AgentJoin);

        var error = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAsync("../Web", token));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(0, await controller.Database.ScalarAsync("select uses from tokens where role = 'agent-join'"));
    }

    [Fact]
    public async Task Enroll_GarbageCsr_InvalidArgument()
    {
        await using var controller = await ControllerHarness.StartAsync();
        var token = await controller.CreateTokenAsync(TokenRole.AgentJoin);
        var client = new EnrollmentService.EnrollmentServiceClient(controller.Channel());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EnrollAsync(new EnrollRequest
        {
            JoinToken = token, Name = "web-1", CsrDer = Google.Protobuf.ByteString.CopyFromUtf8("not a csr"),
        }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("certificate signing request", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, await controller.Database.ScalarAsync("select count(*) from agents"));
    }
}

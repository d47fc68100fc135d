using System.Security.Cryptography;
using Fleet.Contracts.V1;
using Fleet.Controller.Identity;
using Fleet.Integration.Tests.Infrastructure;
using Grpc.Core;

namespace Fleet.Integration.Tests.Controller;

public sealed class AgentConnectionTests
{
    [Fact]
    public async Task Connect_HelloThenHeartbeats_SettingsAcksAndConnectedWithStatus()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");

        var (stream, settings) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using var _ = stream;
        var first = await stream.BeatAsync(1, "vm-17");
        var second = await stream.BeatAsync(2, "vm-17");

        Assert.Equal(1, settings.HeartbeatIntervalSeconds);
        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        var agents = new AgentsService.AgentsServiceClient(controller.Channel());
        var seen = await Eventually.ReturnsAsync(
            async () => (await agents.GetAgentAsync(new GetAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken)).Agent,
            agent => agent.Status?.Hostname == "vm-17",
            TimeSpan.FromSeconds(20),
            "the heartbeat status to be stored");
        Assert.Equal(AgentState.Connected, seen.State);
        Assert.NotNull(seen.LastSeen);
    }

    [Fact]
    public async Task Connect_SilentForThreeIntervals_StreamClosedAndAgentDown()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        var (stream, _) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using var _ = stream;
        await stream.BeatAsync(1);

        // No more heartbeats: the stream stays open (a half-open connection looks like this).
        var agents = new AgentsService.AgentsServiceClient(controller.Channel());
        await Eventually.ReturnsAsync(
            async () => (await agents.GetAgentAsync(new GetAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken)).Agent,
            agent => agent.State == AgentState.Down,
            TimeSpan.FromSeconds(20),
            "the silent agent to be down");

        var closed = await Assert.ThrowsAsync<RpcException>(stream.NextAsync);
        Assert.Equal(StatusCode.Unavailable, closed.StatusCode);
        Assert.Contains("no heartbeat", closed.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_HeartbeatBeforeHello_FailedPrecondition()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        using var call = new AgentService.AgentServiceClient(controller.Channel(agent.Certificate)).Connect(cancellationToken: TestContext.Current.CancellationToken);

        await call.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = 1 } }, cancellationToken: TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("AgentHello", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NoClientCertificate_UnauthenticatedWithReason()
    {
        await using var controller = await ControllerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => AgentStream.OpenAsync(controller.Channel()));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("no client certificate", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_CertificateFromAnotherCa_Unauthenticated()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var foreignCa = CertificateAuthority.Create(TimeProvider.System);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = foreignCa.IssueAgentCertificate(EnrolledAgent.Csr(key), Guid.NewGuid(), "web-1", TimeSpan.FromHours(1));
        using var forged = EnrolledAgent.Load(issued.ExportCertificatePem(), key);

        var error = await Assert.ThrowsAsync<RpcException>(() => AgentStream.OpenAsync(controller.Channel(forged)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("not issued by this controller's CA", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeAgent_OpenStream_ClosedThenConnectAndRenewRefused()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        var (stream, _) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using var __ = stream;
        await stream.BeatAsync(1);

        var revoked = await new AgentsService.AgentsServiceClient(controller.Channel())
            .RevokeAgentAsync(new RevokeAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(AgentState.Revoked, revoked.Agent.State);
        var closed = await Assert.ThrowsAsync<RpcException>(stream.NextAsync);
        Assert.Equal(StatusCode.PermissionDenied, closed.StatusCode);
        Assert.Contains("was revoked", closed.Status.Detail, StringComparison.Ordinal);
        var reconnect = await Assert.ThrowsAsync<RpcException>(() => AgentStream.OpenAsync(controller.Channel(agent.Certificate)));
        Assert.Equal(StatusCode.PermissionDenied, reconnect.StatusCode);
        var renew = await Assert.ThrowsAsync<RpcException>(async () => await new AgentService.AgentServiceClient(controller.Channel(agent.Certificate))
            .RenewCertificateAsync(new RenewCertificateRequest { CsrDer = Google.Protobuf.ByteString.CopyFrom(EnrolledAgent.Csr(agent.Key)) }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.PermissionDenied, renew.StatusCode);
        Assert.NotNull(await controller.Database.ScalarAsync("select revoked_at from agents where name = 'web-1'"));
        // Recorded by the revocation itself, not left to the heartbeat batch.
        Assert.Equal(1L, await controller.Database.ScalarAsync("select count(*) from agents where name = 'web-1' and last_seen is not null"));
    }

    [Fact]
    public async Task RevokeAgent_AlreadyRevoked_FailedPreconditionThenNameReusable()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        var agents = new AgentsService.AgentsServiceClient(controller.Channel());
        await agents.RevokeAgentAsync(new RevokeAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken);

        var again = await Assert.ThrowsAsync<RpcException>(async () =>
            await agents.RevokeAgentAsync(new RevokeAgentRequest { Name = "web-1" }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        using var replacement = await controller.EnrollAsync("web-1");
        Assert.NotEqual(agent.Id, replacement.Id);
    }

    [Fact]
    public async Task RenewCertificate_NewKey_NewCertificateConnectsAndIsRecorded()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var renewed = await new AgentService.AgentServiceClient(controller.Channel(agent.Certificate))
            .RenewCertificateAsync(new RenewCertificateRequest { CsrDer = Google.Protobuf.ByteString.CopyFrom(EnrolledAgent.Csr(newKey)) }, cancellationToken: TestContext.Current.CancellationToken);
        using var certificate = EnrolledAgent.Load(renewed.CertificatePem, newKey);

        Assert.Equal(agent.Id, AgentCertificateValidator.ReadAgentId(certificate));
        Assert.NotEqual(agent.Certificate.SerialNumber, certificate.SerialNumber);
        Assert.Equal(certificate.SerialNumber, await controller.Database.ScalarAsync("select cert_serial from agents where name = 'web-1'"));
        var (stream, _) = await AgentStream.OpenAsync(controller.Channel(certificate));
        using var _ = stream;
        Assert.Equal(7, (await stream.BeatAsync(7)).Sequence);
    }

    [Fact]
    public async Task Connect_SameAgentTwice_OlderStreamAborted()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var agent = await controller.EnrollAsync("web-1");
        var (older, _) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using var _ = older;

        var (newer, _) = await AgentStream.OpenAsync(controller.Channel(agent.Certificate));
        using var __ = newer;

        var closed = await Assert.ThrowsAsync<RpcException>(older.NextAsync);
        Assert.Equal(StatusCode.Aborted, closed.StatusCode);
        Assert.Equal(1, (await newer.BeatAsync(1)).Sequence);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Core;

namespace Fleet.Integration.Tests.Foundation;

public sealed class AuthorizationTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    public static TheoryData<string> OperatorCalls => ["CreateToken", "ListAgents", "GetAgent", "RevokeAgent", "GetFleetStatus", "WhoAmI"];

    [Theory]
    [MemberData(nameof(OperatorCalls))]
    public async Task OperatorRpc_NoToken_Unauthenticated(string call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(call, new Metadata()));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(OperatorCalls))]
    public async Task OperatorRpc_ForgedToken_Unauthenticated(string call)
    {
        var forged = ApiToken.Create(ApiToken.ApiKind).Token;

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(call, Bearer(forged)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("CreateToken")]
    [InlineData("RevokeAgent")]
    public async Task AdminRpc_ViewerToken_PermissionDenied(string call)
    {
        var viewer = (await fleet.Admin.OkAsync("tokens", "create", "--role", "viewer")).Trim();

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(call, Bearer(viewer)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("admin", error.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cli_ViewerCreatesToken_ExitsOneWithClearMessage()
    {
        var viewerToken = (await fleet.Admin.OkAsync("tokens", "create", "--role", "viewer")).Trim();
        var viewer = fleet.NewOperator();
        await viewer.LoginAsync(fleet.Endpoint, viewerToken);

        var result = await viewer.RunAsync("tokens", "create", "--role", "admin");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("admin", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRpcs_NoClientCertificate_Refused()
    {
        await Assert.ThrowsAsync<RpcException>(() => AgentCalls.RenewAsync(fleet.Endpoint, null));
        await Assert.ThrowsAsync<RpcException>(() => AgentCalls.ConnectAsync(fleet.Endpoint, null));
    }

    [Fact]
    public async Task AgentRpcs_CertificateFromAnotherCa_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=impostor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var impostor = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));

        await Assert.ThrowsAnyAsync<Exception>(() => AgentCalls.RenewAsync(fleet.Endpoint, impostor));
        await Assert.ThrowsAnyAsync<Exception>(() => AgentCalls.ConnectAsync(fleet.Endpoint, impostor));
    }

    [Fact]
    public async Task Enroll_NoToken_PermissionDenied()
    {
        using var channel = PinnedChannel.Create(new Uri(fleet.Controller.Url), new PinnedServerValidator([fleet.Controller.CaPin]));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=no-token", key, HashAlgorithmName.SHA256).CreateSigningRequest();

        var error = await Assert.ThrowsAsync<RpcException>(() => new EnrollmentService.EnrollmentServiceClient(channel)
            .EnrollAsync(new EnrollRequest { Name = "no-token", CsrDer = Google.Protobuf.ByteString.CopyFrom(csr) }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Contains(error.StatusCode, new[] { StatusCode.PermissionDenied, StatusCode.Unauthenticated, StatusCode.InvalidArgument });
    }

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    private async Task CallAsync(string call, Metadata headers)
    {
        using var channel = PinnedChannel.Create(new Uri(fleet.Controller.Url), new PinnedServerValidator([fleet.Controller.CaPin]));
        var tokens = new TokensService.TokensServiceClient(channel);
        var agents = new AgentsService.AgentsServiceClient(channel);
        var fleetService = new FleetService.FleetServiceClient(channel);
        switch (call)
        {
            case "CreateToken": await tokens.CreateTokenAsync(new CreateTokenRequest { Role = TokenRole.Admin }, headers); break;
            case "ListAgents": await agents.ListAgentsAsync(new ListAgentsRequest(), headers); break;
            case "GetAgent": await agents.GetAgentAsync(new GetAgentRequest { Name = "x" }, headers); break;
            case "RevokeAgent": await agents.RevokeAgentAsync(new RevokeAgentRequest { Name = "x" }, headers); break;
            case "GetFleetStatus": await fleetService.GetFleetStatusAsync(new GetFleetStatusRequest(), headers); break;
            case "WhoAmI": await fleetService.WhoAmIAsync(new WhoAmIRequest(), headers); break;
            default: throw new ArgumentOutOfRangeException(nameof(call), call, null);
        }
    }
}

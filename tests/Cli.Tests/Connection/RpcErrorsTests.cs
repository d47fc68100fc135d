using Fleet.Cli.Connection;
using Grpc.Core;
using GrpcStatus = Grpc.Core.Status;

namespace Fleet.Cli.Tests.Connection;

public sealed class RpcErrorsTests
{
    private static readonly Uri Controller = new("https://127.0.0.1:7443");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Describe_Unauthenticated_SaysTokenRefusedAndRunLogin()
    {
        var message = Describe(new GrpcStatus(StatusCode.Unauthenticated, "missing or invalid API token"));

        Assert.Equal("the controller refused the token: missing or invalid API token; run fleetctl login", message);
    }

    [Fact]
    public void Describe_UnauthenticatedDetailAlreadySaysLogin_NotRepeated()
    {
        var message = Describe(new GrpcStatus(StatusCode.Unauthenticated, "missing or invalid API token (fleetctl login)"));

        Assert.Equal("the controller refused the token: missing or invalid API token (fleetctl login)", message);
    }

    [Fact]
    public void Describe_PermissionDenied_ShowsControllerMessage()
    {
        var message = Describe(new GrpcStatus(StatusCode.PermissionDenied, "this needs the admin role; the token has viewer"));

        Assert.Equal("this needs the admin role; the token has viewer", message);
    }

    [Fact]
    public void Describe_Unavailable_NamesUrlAndInnermostCause()
    {
        var cause = new HttpRequestException("Connection refused (127.0.0.1:7443)", new System.Net.Sockets.SocketException(111));
        var message = Describe(new GrpcStatus(StatusCode.Unavailable, "Error connecting to subchannel.", cause));

        Assert.Equal($"cannot reach the controller at https://127.0.0.1:7443: {cause.InnerException!.Message}", message);
    }

    [Fact]
    public void Describe_UnavailableWithoutCause_UsesDetail()
    {
        var message = Describe(new GrpcStatus(StatusCode.Unavailable, "no healthy upstream"));

        Assert.Equal("cannot reach the controller at https://127.0.0.1:7443: no healthy upstream", message);
    }

    [Fact]
    public void Describe_TlsRefused_ShowsValidatorReasonWhateverTheStatus()
    {
        var reason = "the controller's CA does not match the pinned fingerprint (pinned: sha256:aa; presented: sha256:bb)";

        var message = RpcErrors.Describe(new RpcException(new GrpcStatus(StatusCode.Unavailable, "SSL")), Controller, reason, Timeout);

        Assert.Equal($"refusing the controller at https://127.0.0.1:7443: {reason}", message);
    }

    [Fact]
    public void Describe_DeadlineExceeded_SaysHowLongItWaited()
    {
        var message = Describe(new GrpcStatus(StatusCode.DeadlineExceeded, "Deadline Exceeded"));

        Assert.Equal("the controller at https://127.0.0.1:7443 did not answer within 30s", message);
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "agent 'web-9' not found")]
    [InlineData(StatusCode.AlreadyExists, "agent 'web-1' is already enrolled")]
    [InlineData(StatusCode.InvalidArgument, "ttl_seconds must not be negative")]
    public void Describe_ClientMistakes_ShowControllerMessage(StatusCode code, string detail)
    {
        Assert.Equal(detail, Describe(new GrpcStatus(code, detail)));
    }

    [Fact]
    public void Describe_Internal_NamesTheCode()
    {
        var message = Describe(new GrpcStatus(StatusCode.Internal, "database unavailable"));

        Assert.Equal("the controller failed (Internal): database unavailable", message);
    }

    private static string Describe(GrpcStatus status) => RpcErrors.Describe(new RpcException(status), Controller, null, Timeout);
}

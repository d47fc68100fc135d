using Fleet.Agent.Identity;
using Grpc.Core;

namespace Fleet.Agent.Tests.Identity;

public sealed class EnrollmentErrorsTests
{
    private static readonly Uri Controller = new("https://127.0.0.1:7443");

    [Fact]
    public void Describe_PermissionDenied_ShowsControllerReason()
    {
        var error = new RpcException(new Status(StatusCode.PermissionDenied, "join token expired at 2026-01-01T00:00:00Z"));

        var message = EnrollmentErrors.Describe(error, Controller, tlsFailure: null);

        Assert.Equal("the controller refused the join token: join token expired at 2026-01-01T00:00:00Z", message);
    }

    [Fact]
    public void Describe_PinMismatch_ShowsValidatorReasonNotTransportNoise()
    {
        var error = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call"));

        var message = EnrollmentErrors.Describe(error, Controller, "the controller's CA does not match the pinned fingerprint");

        Assert.StartsWith("refusing to talk to https://127.0.0.1:7443/: the controller's CA does not match the pinned fingerprint", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Unreachable_NamesAddressAndInnermostCause()
    {
        var cause = new HttpRequestException("Error", new IOException("Connection refused (127.0.0.1:7443)"));
        var error = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", cause));

        var message = EnrollmentErrors.Describe(error, Controller, tlsFailure: null);

        Assert.Equal("cannot reach the controller at https://127.0.0.1:7443/: Error connecting to subchannel. (Connection refused (127.0.0.1:7443))", message);
    }

    [Fact]
    public void Describe_AlreadyExists_SuggestsAnotherName()
    {
        var error = new RpcException(new Status(StatusCode.AlreadyExists, "an agent named web-1 is already enrolled"));

        var message = EnrollmentErrors.Describe(error, Controller, tlsFailure: null);

        Assert.Contains("an agent named web-1 is already enrolled", message, StringComparison.Ordinal);
        Assert.Contains("--name", message, StringComparison.Ordinal);
    }
}

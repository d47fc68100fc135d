using Grpc.Core;

namespace Fleet.Cli.Connection;

/// <summary>Turns a failed controller call into one line an operator can act on.</summary>
internal static class RpcErrors
{
    // tlsFailure is PinnedServerValidator.LastFailure: set when the controller's certificate was
    // refused, which gRPC reports only as Unavailable.
    public static string Describe(RpcException exception, Uri controller, string? tlsFailure, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var detail = exception.Status.Detail;
        var address = controller.GetLeftPart(UriPartial.Authority);
        return exception.StatusCode switch
        {
            _ when tlsFailure is not null =>
                $"refusing the controller at {address}: {tlsFailure}",
            StatusCode.Unauthenticated when detail.Contains("fleetctl login", StringComparison.Ordinal) =>
                $"the controller refused the token: {detail}",
            StatusCode.Unauthenticated =>
                $"the controller refused the token: {detail}; run fleetctl login",
            StatusCode.PermissionDenied => detail,
            StatusCode.Unavailable =>
                $"cannot reach the controller at {address}: {Cause(exception)}",
            StatusCode.DeadlineExceeded =>
                $"the controller at {address} did not answer within {Parsing.Duration.Format(timeout)}",
            StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.InvalidArgument or StatusCode.FailedPrecondition =>
                detail,
            StatusCode.Unimplemented =>
                $"the controller at {address} does not support this command (is it older than fleetctl?): {detail}",
            _ => $"the controller failed ({exception.StatusCode}): {detail}",
        };
    }

    /// <summary>The innermost exception says what went wrong ("Connection refused"); the status detail is generic.</summary>
    private static string Cause(RpcException exception)
    {
        var inner = exception.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner?.Message ?? exception.Status.Detail;
    }
}

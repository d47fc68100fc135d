using Grpc.Core;

namespace Fleet.Agent.Identity;

/// <summary>Turns a failed Enroll call into a message an operator can act on.</summary>
internal static class EnrollmentErrors
{
    public static string Describe(RpcException exception, Uri controller, string? tlsFailure)
    {
        if (tlsFailure is not null)
        {
            return $"refusing to talk to {controller}: {tlsFailure}. Check --ca-pin against the controller's 'ca-pin=' line";
        }

        var detail = Detail(exception);
        return exception.StatusCode switch
        {
            StatusCode.PermissionDenied or StatusCode.Unauthenticated => $"the controller refused the join token: {detail}",
            StatusCode.AlreadyExists => $"the controller refused the name: {detail}. Pick another --name, or revoke the old agent first",
            StatusCode.InvalidArgument => $"the controller rejected the enrollment: {detail}",
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"cannot reach the controller at {controller}: {detail}",
            _ => $"enrollment failed ({exception.StatusCode}): {detail}",
        };
    }

    /// <summary>The status detail plus the innermost transport error (e.g. "Connection refused").</summary>
    public static string Detail(RpcException exception)
    {
        var inner = exception.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var detail = exception.Status.Detail;
        return inner is null || detail.Contains(inner.Message, StringComparison.Ordinal) ? detail : $"{detail} ({inner.Message})";
    }
}

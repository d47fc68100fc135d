using System.Net;

namespace Fleet.Agent.Acme;

/// <summary>The ACME server broke the protocol (unexpected content, missing header).</summary>
internal class AcmeProtocolException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An RFC 7807 problem document from the ACME server, turned into one readable sentence
/// (type, detail, sub-problems per identifier). <see cref="RetryAfter"/> carries the server's
/// Retry-After so callers wait at least that long, never hammering a rate limit.
/// </summary>
internal sealed class AcmeProblemException(AcmeProblem problem, HttpStatusCode status, string operation, TimeSpan? retryAfter)
    : AcmeProtocolException(Describe(problem, status, operation, retryAfter))
{
    public const string ErrorNamespace = "urn:ietf:params:acme:error:";

    public AcmeProblem Problem { get; } = problem;

    public HttpStatusCode Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The short ACME error type (<c>badNonce</c>, <c>rateLimited</c>, …) or the full type for others.</summary>
    public string ShortType => ShortName(Problem.Type);

    public bool IsRateLimited => ShortType == "rateLimited" || Status == HttpStatusCode.TooManyRequests;

    public static string ShortName(string? type) =>
        type is null ? "unknown" : type.StartsWith(ErrorNamespace, StringComparison.Ordinal) ? type[ErrorNamespace.Length..] : type;

    private static string Describe(AcmeProblem problem, HttpStatusCode status, string operation, TimeSpan? retryAfter)
    {
        var text = $"ACME {operation} failed: {ShortName(problem.Type)} ({(int)status}): {problem.Detail ?? "no detail"}";
        foreach (var sub in problem.Subproblems ?? [])
        {
            text += $"; {sub.Identifier?.Value ?? "?"}: {ShortName(sub.Type)}: {sub.Detail}";
        }

        return retryAfter is { } wait ? $"{text} (retry after {wait:g})" : text;
    }
}

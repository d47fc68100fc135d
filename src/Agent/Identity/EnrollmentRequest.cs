namespace Fleet.Agent.Identity;

/// <summary>What `fleet-agent enroll` was asked to do.</summary>
internal sealed record EnrollmentRequest(
    Uri Controller,
    string JoinToken,
    IReadOnlyList<string> CaPins,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string StateDir,
    bool Force)
{
    /// <summary>The token is a secret: keep it out of logs and exception messages.</summary>
    public override string ToString() =>
        $"EnrollmentRequest {{ Controller = {Controller}, Name = {Name}, StateDir = {StateDir}, Force = {Force} }}";
}

/// <summary>The outcome of a successful enrollment.</summary>
internal sealed record EnrollmentResult(string AgentId, string Name, string StateDir, DateTimeOffset CertificateNotAfter);

/// <summary>An enrollment failure; the message is written for the operator.</summary>
internal sealed class EnrollmentException(string message, Exception? inner = null) : Exception(message, inner);

namespace Fleet.Cli.Status;

/// <summary>Something an operator should look at, in <c>fleetctl status --output json</c>: kind (e.g. "certificate"), agent, subject, message.</summary>
internal sealed record ProblemJson(string Kind, string Agent, string Subject, string Message);

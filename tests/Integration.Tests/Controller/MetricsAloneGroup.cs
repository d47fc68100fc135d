namespace Fleet.Integration.Tests.Controller;

/// <summary>
/// Tests that read an in-process controller's /metrics run alone: OpenTelemetry subscribes to
/// meters by name across the process, so another test's in-process controller running at the
/// same time would add its own series to the same endpoint.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsAloneGroup
{
    public const string Name = "in-process metrics";
}

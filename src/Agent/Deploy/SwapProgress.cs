namespace Fleet.Agent.Deploy;

internal enum SwapStep
{
    Pulling,
    HookRunning,
    Starting,
    HealthChecking,
    Switching,
    Draining,
    Applied,
    Failed,
}

/// <summary>A step event of one service's swap. <see cref="Bytes"/> is set while pulling; <see cref="LogTail"/> on failure.</summary>
internal sealed record SwapProgress(
    string App, string Service, long Release, SwapStep Step, string? Detail = null, PullProgress? Bytes = null, string? LogTail = null);

/// <summary>The outcome of a DeployRequest. On failure, the failing service, the reason and its container's log tail.</summary>
internal sealed record SwapResult(bool Succeeded, string? Service = null, string? Reason = null, string? LogTail = null)
{
    public static readonly SwapResult Success = new(true);
}

/// <summary>Points inside a swap where a test can freeze the engine, as a SIGKILL would, to exercise the Reconciler.</summary>
internal enum SwapCheckpoint
{
    BeforePull,
    BeforeHooks,
    BeforeStopOld,
    BeforeCreate,
    BeforeStart,
    BeforeHealthCheck,
    BeforeSwitch,
    BeforeDrain,
    BeforeRemoveOld,
}

/// <summary>A swap refused or failed for a reason to report (with the container log tail when there is one).</summary>
internal sealed class SwapFailureException(string message, string? logTail = null) : Exception(message)
{
    public string? LogTail { get; } = logTail;
}

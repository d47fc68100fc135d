namespace Fleet.Agent.Deploy;

// Event ids 3000–3099 = Deploy.
internal sealed partial class SwapEngine
{
    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Warning, "Deploy of {App} release {Release} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string app, long release, string reason);

        [LoggerMessage(3001, LogLevel.Information, "Swapping {App}/{Service} to release {Release} in slot {Slot} at {Endpoint}")]
        public static partial void SwapStarted(ILogger logger, string app, string service, long release, string slot, string endpoint);

        [LoggerMessage(3002, LogLevel.Information, "{App}/{Service} release {Release} applied in slot {Slot} at {Endpoint}")]
        public static partial void SwapApplied(ILogger logger, string app, string service, long release, string slot, string endpoint);

        [LoggerMessage(3003, LogLevel.Warning, "Swap of {App}/{Service} to release {Release} failed: {Reason}")]
        public static partial void SwapFailed(ILogger logger, string app, string service, long release, string reason);

        [LoggerMessage(3004, LogLevel.Warning, "Draining the old container of {App}/{Service} failed; the reconciler will remove it")]
        public static partial void DrainFailed(ILogger logger, string app, string service, Exception exception);

        [LoggerMessage(3005, LogLevel.Information, "Restored {App}/{Service} release {Release} after a failed stop-first swap")]
        public static partial void OldRestored(ILogger logger, string app, string service, long release);

        [LoggerMessage(3006, LogLevel.Warning, "Withdrew {App}/{Service} release {Release}: it was the first release here, nothing earlier to return to")]
        public static partial void Withdrawn(ILogger logger, string app, string service, long release);
    }
}

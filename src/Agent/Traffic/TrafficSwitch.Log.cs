namespace Fleet.Agent.Traffic;

// Event ids 6200–6299 = Traffic (Hosting/EventIds.md).
internal sealed partial class TrafficSwitch
{
    private static partial class Log
    {
        [LoggerMessage(6200, LogLevel.Information, "fleet-proxy sends {App}/{Service} to release {Release} in slot {Slot} at {Endpoint}")]
        public static partial void Switched(ILogger logger, string app, string service, long release, string slot, string endpoint);

        [LoggerMessage(6201, LogLevel.Warning, "Slot {Slot} of {App}/{Service} still had requests after {DrainTimeout}; closed {Aborted} of them")]
        public static partial void DrainTimedOut(ILogger logger, string app, string service, string slot, TimeSpan drainTimeout, int aborted);

        [LoggerMessage(6202, LogLevel.Information, "fleet-proxy's route table set from the journal: {Routes} routes")]
        public static partial void Synced(ILogger logger, int routes);

        [LoggerMessage(6203, LogLevel.Warning, "Could not set fleet-proxy's route table from the journal; it keeps the table it has")]
        public static partial void SyncFailed(ILogger logger, Exception exception);
    }
}

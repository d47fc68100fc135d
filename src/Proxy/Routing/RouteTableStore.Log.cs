namespace Fleet.Proxy.Routing;

// Event ids 100–199 = Routing (Hosting/EventIds.md).
internal sealed partial class RouteTableStore
{
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Loaded {Count} routes from {Path}")]
        public static partial void Loaded(ILogger logger, int count, string path);

        [LoggerMessage(101, LogLevel.Information, "Route table replaced: {Count} routes ({Routes})")]
        public static partial void Replaced(ILogger logger, int count, string routes);

        [LoggerMessage(102, LogLevel.Warning, "Route table refused, the last good one stays: {Errors}")]
        public static partial void Refused(ILogger logger, string errors);
    }
}

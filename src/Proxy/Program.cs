using Fleet.Proxy.Hosting;

try
{
    await using var app = ProxyHost.Build(args, InheritedSockets.TakeFromEnvironment());
    await app.RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"fleet-proxy: {ex.Message}");
    return 2;
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    // A route file that cannot be read, a port in use, a folder not writable: for the operator, not a stack trace.
    await Console.Error.WriteLineAsync($"fleet-proxy: cannot start: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : "")}");
    return 1;
}

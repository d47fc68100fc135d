using Fleet.Controller.Hosting;

try
{
    await using var app = await ControllerApp.CreateAsync(args);
    await app.RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"fleet-controller: {ex.Message}");
    return 2;
}
catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or IOException or UnauthorizedAccessException)
{
    // Startup failures (database unreachable, folder not writable, PostgreSQL missing) are for the operator, not a stack trace.
    var reasons = string.Join(": ", Enumerable.Repeat(ex, 1).Concat(Inner(ex)).Select(e => e.Message).Distinct());
    await Console.Error.WriteLineAsync($"fleet-controller: cannot start: {reasons}");
    return 1;
}

static IEnumerable<Exception> Inner(Exception ex)
{
    for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
    {
        yield return inner;
    }
}

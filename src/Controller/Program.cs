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

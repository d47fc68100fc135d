// The agent's side of bench/swap.sh: one service swapped by the agent's own SwapEngine (AddDeploy,
// Docker.DotNet, host network, HTTP health check) from one image to the other, one swap per line
// read on stdin, so that the shell can alternate these swaps with its docker CLI ones in one run.
//   SwapBench STATE_DIR IMAGE_A IMAGE_B STOP_GRACE_SECONDS
// Deploys release 1 (image a) untimed, prints "ready", then for every input line swaps to the next
// release (images alternating) and prints "ms=<elapsed>" (ApplyAsync alone). Removes its containers at the end.
using System.Diagnostics;
using System.Globalization;
using Fleet.Agent.Deploy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args.Length != 4 || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var stopGrace) || stopGrace < 0)
{
    await Console.Error.WriteLineAsync("usage: SwapBench STATE_DIR IMAGE_A IMAGE_B STOP_GRACE_SECONDS");
    return 2;
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Deploy:JournalPath"] = Path.Combine(args[0], "journal.json"),
    // The docker CLI baseline drains nothing: no drain here either (an operator setting, default 5 s).
    ["Deploy:DrainDelay"] = "00:00:00",
    ["Deploy:StopGrace"] = TimeSpan.FromSeconds(stopGrace).ToString(),
    // The check still runs (docker info + statfs); the bench machine's disk may be below the 2 GiB default.
    ["Deploy:MinFreeDiskBytes"] = "1048576",
});
builder.Services.AddLogging();
builder.Services.AddDeploy();
using var host = builder.Build();
var engine = host.Services.GetRequiredService<SwapEngine>();
var runtime = host.Services.GetRequiredService<IContainerRuntime>();
string[] images = [args[1], args[2]];
const string App = "swapbench";

// The fleet.yaml defaults for an HTTP check (interval 2 s, timeout 2 s, 3 retries, no start period).
DeployRequest Release(long release) =>
    new(App, release, [new ServiceSpec("web", images[(release - 1) % 2], new HealthCheckSpec(HealthCheckKind.Http, "/health"))]);

async Task ApplyAsync(long release)
{
    var result = await engine.ApplyAsync(Release(release), null, CancellationToken.None);
    if (!result.Succeeded)
    {
        throw new InvalidOperationException($"swap to release {release} failed: {result.Reason}\n{result.LogTail}");
    }
}

try
{
    await ApplyAsync(1);
    Console.WriteLine("ready");
    for (var release = 2L; await Console.In.ReadLineAsync() is not null; release++)
    {
        var stopwatch = Stopwatch.StartNew();
        await ApplyAsync(release);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ms={stopwatch.ElapsedMilliseconds}"));
    }
}
finally
{
    foreach (var container in await runtime.ListAsync(new Dictionary<string, string> { [SlotContainers.AppLabel] = App }, CancellationToken.None))
    {
        await runtime.RemoveAsync(container.Id, CancellationToken.None);
    }
}

return 0;

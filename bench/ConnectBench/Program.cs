using System.Diagnostics;
using System.Globalization;
using Fleet.Bench.Connect;

// Usage: ConnectBench CONTROLLER_DLL DATA_DIR CONNECTION_STRING AGENTS
if (await ControllerUnderTest.StartFromArgumentsAsync(args, "ConnectBench") is not { } started)
{
    return 2;
}

var (controllerUnderTest, agents) = started;
using var controller = controllerUnderTest;
using var stop = new CancellationTokenSource();
Say($"controller ready at {controller.Url}");

var certificates = await BenchEnrollment.EnrollAsync(controller, agents, "connect benchmark");
await Settle();
var idleRssKb = controller.RssKb();
var idleGc = await controller.GcAsync();
Say($"enrolled {agents} agents; controller RSS with none connected: {idleRssKb / 1024} MiB ({idleGc})");

// Handshakes cost CPU on both sides of this 2-core machine; a gate keeps the dialling realistic.
using var dialGate = new SemaphoreSlim(64);
var simulated = certificates.Select((c, i) => new SimulatedAgent(i, controller.Url, controller.CaPin, c)).ToArray();
var clock = Stopwatch.StartNew();
// While measuring ingest every agent beats often enough to offer about 10,000 heartbeats a second.
var beatPeriod = TimeSpan.FromSeconds(Math.Max(0.05, agents / 10_000.0));
var loops = simulated.Select(a => Task.Run(() => a.RunAsync(dialGate, beatPeriod, stop.Token))).ToArray();
await WaitAllConnectedAsync(simulated, "connect");
var connectSeconds = clock.Elapsed.TotalSeconds;
Say($"all {agents} connected in {connectSeconds:0.0} s");

await Settle();
var connectedRssKb = controller.RssKb();
var kbPerAgent = (connectedRssKb - idleRssKb) / (double)agents;
var connectedGc = await controller.GcAsync();
Say($"controller RSS with {agents} idle agents: {connectedRssKb / 1024} MiB ({kbPerAgent:0.0} KB per agent; {connectedGc})");
Say(string.Create(CultureInfo.InvariantCulture,
    $"per agent, as of the controller's last GC: heap {(connectedGc.HeapKb - idleGc.HeapKb) / (double)agents:0.0} KB, GC committed {(connectedGc.CommittedKb - idleGc.CommittedKb) / (double)agents:0.0} KB, the rest of RSS (native, runtime) {(connectedRssKb - connectedGc.CommittedKb - (idleRssKb - idleGc.CommittedKb)) / (double)agents:0.0} KB"));

var before = simulated.Sum(a => Interlocked.Read(ref a.Acknowledged));
foreach (var agent in simulated)
{
    agent.Beating = true;
}

clock.Restart();
await Task.Delay(TimeSpan.FromSeconds(20), TimeProvider.System);
foreach (var agent in simulated)
{
    agent.Beating = false;
}

var heartbeatsPerSecond = (simulated.Sum(a => Interlocked.Read(ref a.Acknowledged)) - before) / clock.Elapsed.TotalSeconds;
Say($"heartbeats acknowledged: {heartbeatsPerSecond:0} per second");

controller.Kill();
Say("controller killed (SIGKILL); restarting");
await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
clock.Restart();
await controller.StartAsync();
await WaitAllConnectedAsync(simulated, "reconnect");
var reconnectSeconds = clock.Elapsed.TotalSeconds;
Say($"all {agents} reconnected {reconnectSeconds:0.0} s after the restart began");

await stop.CancelAsync();
await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
foreach (var agent in simulated)
{
    agent.Dispose();
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"connect_s={connectSeconds:0.0} heartbeats_per_s={heartbeatsPerSecond:0} kb_per_agent={kbPerAgent:0.0} reconnect_s={reconnectSeconds:0.0} agents={agents}"));
return 0;

static void Say(string message) => Console.WriteLine($"[connect] {message}");

// The controller's RSS moves with its allocator: let it reach a steady state before reading it.
static Task Settle() => Task.Delay(TimeSpan.FromSeconds(10), TimeProvider.System);

static async Task WaitAllConnectedAsync(SimulatedAgent[] simulated, string phase)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        var waiting = simulated.Count(a => !a.Connected.IsCompleted);
        if (waiting == 0)
        {
            return;
        }

        if (deadline.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"{phase}: {waiting} agents still not connected after 5 minutes");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
    }
}

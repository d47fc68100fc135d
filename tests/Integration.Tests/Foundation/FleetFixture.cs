using System.Text.Json;
using Fleet.Agent.Identity;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Foundation;

/// <summary>
/// A real controller (separate process, real TLS on loopback) on a fresh database, and an
/// operator logged in with the admin token it bootstrapped.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    private readonly List<RunningAgent> _agents = [];
    private PostgresDatabase? _database;

    protected virtual string[] ControllerArguments => ["--heartbeat-interval", "1s"];

    internal TempDirectory Directory { get; } = new("e2e");

    internal ControllerProcess Controller { get; private set; } = null!;

    internal ControllerEndpoint Endpoint => new(Controller.Url, Controller.CaPin);

    internal FleetCli Admin { get; private set; } = null!;

    /// <summary>The controller's plain-HTTP Prometheus endpoint: 127.0.0.1:MetricsPort/metrics.</summary>
    internal int MetricsPort { get; } = LoopbackPort.Free();

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync("fleet_e2e", CancellationToken.None);
        Controller = new ControllerProcess(Directory.Combine("controller"), _database.ConnectionString, [.. ControllerArguments, "--metrics-listen", $"127.0.0.1:{MetricsPort}"]);
        await Controller.StartAsync(CancellationToken.None);
        Admin = NewOperator();
        await Admin.LoginAsync(Endpoint, Controller.AdminToken);
    }

    internal FleetCli NewOperator() => new(Directory.Combine("operators", Guid.NewGuid().ToString("N")));

    internal async Task<string> JoinTokenAsync(int uses = 1, string ttl = "1h") =>
        (await Admin.OkAsync("tokens", "create", "--role", "agent-join", "--ttl", ttl, "--uses", $"{uses}")).Trim();

    internal EnrollmentRequest Enrollment(string name, string token, string? stateDirectory = null, string? pin = null) =>
        new(new Uri(Controller.Url), token, [pin ?? Controller.CaPin], name,
            new Dictionary<string, string> { ["env"] = "staging" }, stateDirectory ?? Directory.Combine("agents", name), Force: false);

    /// <summary>Enrolls and starts an agent; <paramref name="prepare"/> gets its state directory in between (e.g. to write settings.json).</summary>
    internal async Task<RunningAgent> StartAgentAsync(string name, string? token = null, Action<string>? prepare = null)
    {
        var request = Enrollment(name, token ?? await JoinTokenAsync());
        await new Enroller().EnrollAsync(request, CancellationToken.None);
        prepare?.Invoke(request.StateDir);
        var agent = new RunningAgent(name, request.StateDir);
        _agents.Add(agent);
        await agent.StartAsync(CancellationToken.None);
        return agent;
    }

    internal Task<JsonElement> AgentAsync(string name) => Admin.JsonAsync("agents", "show", name);

    internal Task<JsonElement> WaitForStateAsync(string name, string state, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(
            () => AgentAsync(name),
            agent => agent.GetProperty("state").GetString() == state,
            timeout ?? TimeSpan.FromSeconds(30),
            $"agent {name} to be {state}");

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Controller.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Dispose();
        GC.SuppressFinalize(this);
    }
}

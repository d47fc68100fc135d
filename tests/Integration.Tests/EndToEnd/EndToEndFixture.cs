using System.Globalization;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Deploy;
using Fleet.Agent.Identity;
using Fleet.Integration.Tests.Deploy;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// A real controller, an operator (fleetctl) with key alice who pushed a trust policy (staging and
/// production: alice, 1 of 1), and real fleet-agent processes on the real Docker engine pulling busybox test
/// images from the real registry. Agents share the Docker engine, so each one gets its own
/// Deploy:ContainerScope (its name) and port range, as separate hosts would have their own.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    private readonly FleetFixture _fleet = new();
    private readonly List<AgentProcess> _agents = [];
    private readonly DockerContainerRuntime _docker;
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private int _nextPort = Random.Shared.Next(400, 540) * 100;

    public EndToEndFixture()
    {
        DeployHarness.Require("DOCKER_HOST");
        DeployHarness.Require("FLEET_TEST_REGISTRY");
        _docker = new DockerContainerRuntime();
    }

    internal FleetCli Operator => _fleet.Admin;

    /// <summary>fleetctl with its own configuration, logged in with <paramref name="token"/>.</summary>
    internal async Task<FleetCli> OperatorWithTokenAsync(string token)
    {
        var cli = _fleet.NewOperator();
        await cli.LoginAsync(_fleet.Endpoint, token);
        return cli;
    }

    /// <summary>The controller process, to kill and start again.</summary>
    internal ControllerProcess Controller => _fleet.Controller;

    /// <summary>127.0.0.1:PORT of the controller's Prometheus endpoint.</summary>
    internal string ControllerMetrics => $"127.0.0.1:{_fleet.MetricsPort}";

    internal HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(2) };

    private string TrustFile => _fleet.Directory.Combine("trust.json");

    public async ValueTask InitializeAsync()
    {
        await _fleet.InitializeAsync();
        await Operator.OkAsync("keys", "generate", "--name", "alice");
        await Operator.OkAsync("trust", "init", "--root-key", "alice", "--env", "staging=alice:1", "--env", "production=alice:1", "-o", TrustFile);
        await Operator.OkAsync("trust", "push", TrustFile);
    }

    /// <summary>
    /// Enrolls an agent named NAME-RUN (env=staging plus <paramref name="labels"/>), installs the trust policy with `fleet-agent trust install`, starts it and waits until it is connected. The run suffix keeps container names apart from
    /// other test classes on the same Docker engine and keeps the order of names (rollout waves).
    /// </summary>
    internal async Task<AgentProcess> StartAgentAsync(
        string name, IReadOnlyDictionary<string, string> labels, TimeSpan? drainDelay = null, string metricsListen = "off")
    {
        name = $"{name}-{_run}";
        var request = _fleet.Enrollment(name, await _fleet.JoinTokenAsync()) with
        {
            Labels = new Dictionary<string, string>(labels) { ["env"] = "staging" },
        };
        await new Enroller().EnrollAsync(request, TestContext.Current.CancellationToken);
        var (code, output) = await AgentProcess.RunAsync("trust", "install", TrustFile, "--state-dir", request.StateDir);
        Assert.True(code == 0, $"fleet-agent trust install failed: {output}");

        var first = Interlocked.Add(ref _nextPort, 20) - 20;
        var agent = new AgentProcess(name, request.StateDir, new Dictionary<string, string>
        {
            ["Deploy__ContainerScope"] = name,
            ["Deploy__PortRangeStart"] = first.ToString(CultureInfo.InvariantCulture),
            ["Deploy__PortRangeEnd"] = (first + 19).ToString(CultureInfo.InvariantCulture),
            ["Deploy__MinFreeDiskBytes"] = "0",
            ["Deploy__DrainDelay"] = (drainDelay ?? TimeSpan.FromMilliseconds(200)).ToString("c", CultureInfo.InvariantCulture),
            ["Deploy__StopGrace"] = "00:00:01",
            // Separate hosts would each have their own /run; agents on one machine must not share it.
            ["Secrets__Root"] = Path.Combine(request.StateDir, "run-secrets"),
        }, metricsListen);
        _agents.Add(agent);
        agent.Start();
        await WaitConnectedAsync(agent);
        return agent;
    }

    internal async Task WaitConnectedAsync(AgentProcess agent) =>
        await _fleet.WaitForStateAsync(agent.Name, "connected", TimeSpan.FromSeconds(60));

    /// <summary>Writes a fleet.yaml for one "web" service with a quick HTTP health check on /health.</summary>
    internal string ReleaseFile(string app, string group, string imageVariable, string strategy = "type: all", string? environment = null, string startPeriod = "0s")
    {
        var yaml = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"app: {app}")
            .AppendLine(CultureInfo.InvariantCulture, $"target_labels: {{ group: {group} }}")
            .AppendLine("services:")
            .AppendLine("  web:")
            .AppendLine(CultureInfo.InvariantCulture, $"    image: {DeployHarness.Image(imageVariable)}")
            .AppendLine(environment is null ? "" : $"    environment: {{ {environment} }}")
            .AppendLine("    health: { type: http, path: /health, port: 8080, interval: 1s, timeout: 1s, retries: 3, start_period: " + startPeriod + " }")
            .AppendLine(CultureInfo.InvariantCulture, $"strategy: {{ {strategy} }}")
            .AppendLine("healthy_deadline: 60s")
            .AppendLine("min_healthy_time: 1s");
        var path = _fleet.Directory.Combine($"{app}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>The images of every service of the stored release of APP/ENVIRONMENT#SEQUENCE, read from the controller's database.</summary>
    internal async Task<IReadOnlyList<string>> StoredImagesAsync(string app, string environment, long sequence)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_fleet.Controller.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("select envelope from releases where app = $1 and environment = $2 and sequence = $3", connection);
        command.Parameters.AddWithValue(app);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(sequence);
        var envelope = (byte[])(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"no release {app}/{environment}#{sequence}"));
        var manifest = Fleet.Core.Releases.ReleaseManifest.Parse(Fleet.Core.Trust.DsseEnvelope.Parse(envelope, Fleet.Core.Releases.ReleaseManifest.PayloadType).Payload);
        return [.. manifest.Release.Services.Select(s => s.Image)];
    }

    /// <summary>`fleetctl deploy -f FILE --env staging --key alice --watch`.</summary>
    internal Task<CliResult> DeployAsync(string file, bool watch = true) =>
        Operator.RunAsync(["deploy", "-f", file, "--env", "staging", "--key", "alice", .. watch ? ["--watch"] : Array.Empty<string>()]);

    internal Task<JsonElement> RolloutAsync(string app) => Operator.JsonAsync("rollout", "status", "--app", app, "--env", "staging");

    /// <summary>What the agent's journal on disk says about the app's web service (read fresh each time).</summary>
    internal static ServiceJournal? Journal(AgentProcess agent, string app) => new DeployJournal(agent.JournalPath).Get(app, "web");

    /// <summary>GET /version on the endpoint the agent's journal names as applied.</summary>
    internal async Task<string> VersionAsync(AgentProcess agent, string app) =>
        await VersionAsync(Journal(agent, app)?.Applied?.Endpoint ?? throw new InvalidOperationException($"{agent.Name} applied nothing of {app}"));

    internal async Task<string> VersionAsync(string endpoint) =>
        (await Http.GetStringAsync(new Uri($"http://{endpoint}/version"), TestContext.Current.CancellationToken)).Trim();

    /// <summary>The agent's containers of the app (its scope only), running or not.</summary>
    internal Task<IReadOnlyList<ContainerSummary>> ContainersAsync(AgentProcess agent, string app) =>
        _docker.ListAsync(new Dictionary<string, string> { [SlotContainers.AppLabel] = app, [SlotContainers.ScopeLabel] = agent.Name }, TestContext.Current.CancellationToken);

    internal Task<ContainerStatus?> InspectAsync(string id) => _docker.InspectAsync(id, TestContext.Current.CancellationToken);

    /// <summary>docker exec: runs <paramref name="command"/> inside the container, as an operator inspecting the host would.</summary>
    internal Task<ExecResult> ExecAsync(string id, params string[] command) => _docker.ExecAsync(id, command, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
            foreach (var container in await _docker.ListAsync(new Dictionary<string, string> { [SlotContainers.ScopeLabel] = agent.Name }, CancellationToken.None))
            {
                await _docker.RemoveAsync(container.Id, CancellationToken.None);
            }
        }

        _docker.Dispose();
        Http.Dispose();
        await _fleet.DisposeAsync();
    }
}

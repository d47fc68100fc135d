using System.Globalization;
using Fleet.Agent.Acme;
using Fleet.Agent.Deploy;
using Fleet.Agent.Events;
using Fleet.Agent.Releases;
using Fleet.Agent.Trust;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Fleet.Integration.Tests.Deploy;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Apply;

/// <summary>
/// One agent's release handling as AddReleases wires it, over the real Docker engine and registry,
/// with operator keys alice, bob, carol made by OperatorKeyStore and a trust policy installed:
/// roots alice+bob (2 of 2); staging 1 of alice, bob, carol; production 2 of alice, bob.
/// </summary>
internal sealed class ApplyHarness : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-apply-").FullName;
    private readonly ServiceProvider _provider;

    /// <param name="environment">The agent's env label.</param>
    /// <param name="configure">Adds features beside AddReleases (e.g. AddBackups) before the provider is built.</param>
    public ApplyHarness(string environment = "staging", Action<IServiceCollection, string>? configure = null)
    {
        DeployHarness.Require("DOCKER_HOST");
        DeployHarness.Require("FLEET_TEST_REGISTRY");
        var first = Random.Shared.Next(21000, 39000);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Deploy:PortRangeStart"] = first.ToString(CultureInfo.InvariantCulture),
            ["Deploy:PortRangeEnd"] = (first + 20).ToString(CultureInfo.InvariantCulture),
            ["Deploy:MinFreeDiskBytes"] = "0",
            ["Deploy:DrainDelay"] = "00:00:00.2",
            ["Deploy:StopGrace"] = "00:00:01",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddReleases(configuration, Path.Combine(_dir, "state"), new Dictionary<string, string> { ["env"] = environment, ["role"] = "web" });
        services.AddAcme(configuration, Path.Combine(_dir, "state"));
        configure?.Invoke(services, Path.Combine(_dir, "state"));
        _provider = services.BuildServiceProvider();

        Keys = new OperatorKeyStore(Path.Combine(_dir, "keys"));
        foreach (var name in new[] { "alice", "bob", "carol", "mallory" })
        {
            Keys.Generate(name);
        }

        var policy = TrustPolicyBuilder.Build(
            1,
            ["alice", "bob"],
            2,
            [new EnvironmentRuleSpec("staging", ["alice", "bob", "carol"], 1), new EnvironmentRuleSpec("production", ["alice", "bob"], 2)],
            Keys.List());
        var installed = new AgentTrust(Path.Combine(_dir, "state")).Install(policy.Sign(Signers("alice", "bob")).ToJson(), TimeProvider.System.GetUtcNow());
        if (!installed.IsAccepted)
        {
            throw new InvalidOperationException(installed.Message);
        }
    }

    public string App { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    public OperatorKeyStore Keys { get; }

    public AssignmentHandler Handler => _provider.GetRequiredService<AssignmentHandler>();

    public DeployJournal Journal => _provider.GetRequiredService<DeployJournal>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static string Image(string variable) => DeployHarness.Image(variable);

    /// <summary>A manifest of a "web" service (and an "api" one when given) with quick HTTP health checks, valid for an hour from now.</summary>
    public ReleaseManifest Manifest(
        long sequence, string image, string environment = "staging", IReadOnlyDictionary<string, string>? env = null, string? apiImage = null) =>
        ReleaseManifest.Create(Definition(image, env, apiImage), environment, sequence, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1));

    public ReleaseDefinition Definition(string image, IReadOnlyDictionary<string, string>? env = null, string? apiImage = null) => new()
    {
        App = App,
        TargetLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["role"] = "web" },
        Services = apiImage is null ? [Service("web", image, env)] : [Service("web", image, env), Service("api", apiImage, null)],
    };

    public IReadOnlyList<OperatorKey> Signers(params string[] names) => [.. names.Select(Keys.LoadPrivate)];

    public DsseEnvelope Sign(ReleaseManifest manifest, params string[] names)
    {
        var signers = Signers(names);
        try
        {
            return manifest.Sign(signers);
        }
        finally
        {
            foreach (var key in signers)
            {
                key.Dispose();
            }
        }
    }

    public ReleaseAssignment Apply(ReleaseManifest manifest, DsseEnvelope envelope, int minHealthySeconds = 1, bool runOnceHooks = false) =>
        Apply(manifest.Sequence, envelope.ToJson(), minHealthySeconds, runOnceHooks);

    /// <summary>An APPLY as the controller sends it to the one host that goes first (<paramref name="runOnceHooks"/>) or to the others.</summary>
    public ReleaseAssignment Apply(long sequence, byte[] envelopeJson, int minHealthySeconds = 1, bool runOnceHooks = false) => new()
    {
        RolloutId = "r-" + sequence.ToString(CultureInfo.InvariantCulture),
        App = App,
        Environment = "staging",
        Sequence = sequence,
        Envelope = ByteString.CopyFrom(envelopeJson),
        Action = AssignmentAction.Apply,
        MinHealthySeconds = minHealthySeconds,
        RunOnceHooks = runOnceHooks,
    };

    /// <summary>Handles the assignment and returns the events it added to the outbox.</summary>
    public async Task<IReadOnlyList<AgentEvent>> HandleAsync(ReleaseAssignment assignment)
    {
        var outbox = _provider.GetRequiredService<EventOutbox>();
        var pending = await outbox.ReadPendingAsync(0, int.MaxValue, TestContext.Current.CancellationToken);
        var before = pending.Count == 0 ? 0 : pending[^1].Sequence;
        await Handler.HandleAsync(assignment, TestContext.Current.CancellationToken);
        return await outbox.ReadPendingAsync(before, int.MaxValue, TestContext.Current.CancellationToken);
    }

    public SlotRecord? Applied(string service = "web") => Journal.Get(App, service)?.Applied;

    public async Task<string> VersionAsync(string service = "web")
    {
        var endpoint = Applied(service)?.Endpoint ?? throw new InvalidOperationException("nothing is applied");
        using var response = await Http.GetAsync(new Uri($"http://{endpoint}/version"), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Trim();
    }

    public async Task<IReadOnlyList<ContainerSummary>> ContainersAsync(string service = "web") =>
        await _provider.GetRequiredService<SlotContainers>().ListAsync(App, service, TestContext.Current.CancellationToken);

    private static Fleet.Core.Releases.ServiceSpec Service(string name, string image, IReadOnlyDictionary<string, string>? env) => new()
    {
        Name = name,
        Image = image,
        Environment = new SortedDictionary<string, string>(env?.ToDictionary() ?? [], StringComparer.Ordinal),
        Health = new Fleet.Core.Releases.HealthCheckSpec
        {
            Type = HealthCheckType.Http, Path = "/health", Port = 8080,
            Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Retries = 3,
        },
    };

    public async ValueTask DisposeAsync()
    {
        var runtime = _provider.GetRequiredService<IContainerRuntime>();
        foreach (var container in await runtime.ListAsync(new Dictionary<string, string> { [SlotContainers.AppLabel] = App }, CancellationToken.None))
        {
            await runtime.RemoveAsync(container.Id, CancellationToken.None);
        }

        Http.Dispose();
        await _provider.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

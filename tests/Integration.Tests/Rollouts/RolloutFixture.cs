using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Fleet.Integration.Tests.Controller;
using Fleet.Integration.Tests.Infrastructure;
using Fleet.Integration.Tests.Releases;
using Google.Protobuf;

namespace Fleet.Integration.Tests.Rollouts;

/// <summary>A real controller with a trust policy (staging: alice, 1 of 1) and simulated agents labelled env=staging.</summary>
internal sealed class RolloutFixture : IAsyncDisposable
{
    public const string Image = "127.0.0.1:5000/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly List<SimulatedAgent> _agents = [];

    private RolloutFixture(ControllerHarness controller) => Controller = controller;

    public ControllerHarness Controller { get; }

    public OperatorKeys Keys { get; } = new();

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    public ReleasesService.ReleasesServiceClient Releases => new(Controller.Channel());

    public RolloutsService.RolloutsServiceClient Rollouts => new(Controller.Channel());

    public Grpc.Core.Metadata Admin => ControllerHarness.Bearer(Controller.AdminToken);

    /// <summary>Agents web-1… labelled env=staging, plus <paramref name="labels"/>(i) when given.</summary>
    public static async Task<RolloutFixture> StartAsync(int agents, Func<int, Dictionary<string, string>>? labels = null, params string[] controllerArgs)
    {
        var fixture = new RolloutFixture(await ControllerHarness.StartAsync(controllerArgs));
        var policy = fixture.Keys.Policy(1, ["alice"], 1, [new EnvironmentRuleSpec("staging", ["alice"], 1)], "alice");
        await new TrustService.TrustServiceClient(fixture.Controller.Channel())
            .SetTrustPolicyAsync(new SetTrustPolicyRequest { Envelope = ByteString.CopyFrom(policy) }, fixture.Admin, cancellationToken: TestContext.Current.CancellationToken);
        for (var i = 1; i <= agents; i++)
        {
            var agentLabels = labels?.Invoke(i) ?? [];
            agentLabels["env"] = "staging";
            var enrolled = await fixture.Controller.EnrollAsync($"web-{i}", labels: agentLabels);
            fixture._agents.Add(await SimulatedAgent.ConnectAsync(fixture.Controller, enrolled));
        }

        // Every stream is registered once the controller lists the agent as connected.
        var agentsClient = new AgentsService.AgentsServiceClient(fixture.Controller.Channel());
        await Eventually.ReturnsAsync(
            async () => (await agentsClient.ListAgentsAsync(new ListAgentsRequest(), fixture.Admin)).Agents.Count(a => a.State == AgentState.Connected),
            online => online == agents, TimeSpan.FromSeconds(30), "every simulated agent online");
        return fixture;
    }

    /// <summary>Enrolls and connects one more agent labelled env=staging (it runs nothing yet).</summary>
    public async Task<SimulatedAgent> AddAgentAsync(string name)
    {
        var agent = await SimulatedAgent.ConnectAsync(Controller, await Controller.EnrollAsync(name, labels: new Dictionary<string, string> { ["env"] = "staging" }));
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Stops <paramref name="agent"/> and waits until the controller's database no longer counts it as connected.</summary>
    public async Task StopAsync(SimulatedAgent agent)
    {
        await agent.DisposeAsync();
        await Eventually.ReturnsAsync(
            async () => await Controller.Database.ScalarAsync($"select connected_until <= now() from agents where name = '{agent.Name}' and revoked_at is null"),
            disconnected => disconnected is true, TimeSpan.FromSeconds(30), $"{agent.Name} disconnected");
    }

    public static ReleaseDefinition Definition(StrategySpec strategy) => new()
    {
        App = "shop",
        Services = [new ServiceSpec { Name = "web", Image = Image }],
        Strategy = strategy,
        HealthyDeadline = TimeSpan.FromSeconds(10),
        MinHealthyTime = TimeSpan.FromSeconds(1),
    };

    public async Task<SubmitReleaseResponse> SubmitAsync(StrategySpec strategy, long sequence, bool supersede = false) =>
        await Releases.SubmitReleaseAsync(new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(Sign(Definition(strategy), sequence)), Supersede = supersede },
            Admin, cancellationToken: TestContext.Current.CancellationToken);

    public byte[] Sign(ReleaseDefinition definition, long sequence, string environment = "staging", params string[] signers) =>
        ReleaseManifest.Create(definition, environment, sequence, DateTimeOffset.UtcNow, TimeSpan.FromHours(1))
            .Sign((signers.Length == 0 ? ["alice"] : signers).Select(n => Keys[n])).ToJson();

    public async Task<Rollout> GetAsync(string rolloutId) =>
        (await Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId }, Admin, cancellationToken: TestContext.Current.CancellationToken)).Rollout;

    public Task<Rollout> WaitForAsync(string rolloutId, Func<Rollout, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => GetAsync(rolloutId), condition, timeout ?? TimeSpan.FromSeconds(30), what);

    public static TargetState StateOf(Rollout rollout, string agent) => rollout.Targets.Single(t => t.AgentName == agent).State;

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
            agent.Enrolled.Dispose();
        }

        Keys.Dispose();
        await Controller.DisposeAsync();
    }
}

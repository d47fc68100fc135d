using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Rollouts;

public sealed class RolloutCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public RolloutCommandsTests()
    {
        _cli.SaveTwoContexts();
        var rollout = new Rollout
        {
            RolloutId = "ro-1", ReleaseId = "r-1", App = "shop", Environment = "staging", Sequence = 2, State = RolloutState.Running, Strategy = "canary",
        };
        rollout.Targets.Add(new RolloutTarget { AgentName = "web-1", State = TargetState.Done, Wave = 0 });
        rollout.Targets.Add(new RolloutTarget { AgentName = "web-2", State = TargetState.Applying, Wave = 1, Step = "pulling" });
        _cli.Api.Rollout = new GetRolloutResponse { Rollout = rollout };
    }

    [Fact]
    public async Task Status_ByAppAndEnv_TableOfTargets()
    {
        Assert.Equal(0, await _cli.RunAsync("rollout", "status", "--app", "shop", "--env", "staging"));

        var request = Assert.IsType<GetRolloutRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(("", "shop", "staging"), (request.RolloutId, request.App, request.Environment));
        Assert.Contains("rollout ro-1 shop/staging #2 (canary): running", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("web-2", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("pulling", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_StableFields()
    {
        Assert.Equal(0, await _cli.RunAsync("rollout", "status", "ro-1", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal("running", json.RootElement.GetProperty("state").GetString());
        var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["done", "applying"], targets.Select(t => t.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, targets[0].GetProperty("step").ValueKind);
    }

    [Fact]
    public async Task Status_NeitherIdNorApp_UsageError()
    {
        Assert.Equal(2, await _cli.RunAsync("rollout", "status"));

        Assert.Contains("--app APP --env ENV", _cli.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pause", typeof(PauseRolloutRequest))]
    [InlineData("resume", typeof(ResumeRolloutRequest))]
    [InlineData("abort", typeof(AbortRolloutRequest))]
    [InlineData("promote", typeof(PromoteRolloutRequest))]
    public async Task Steer_ById_SendsThatCommand(string command, Type expected)
    {
        Assert.Equal(0, await _cli.RunAsync("rollout", command, "ro-1"));

        Assert.IsType(expected, _cli.Api.Requests[^1]);
        Assert.Contains("rollout ro-1", _cli.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}

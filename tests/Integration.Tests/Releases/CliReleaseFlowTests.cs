using Fleet.Contracts.V1;
using Fleet.Integration.Tests.Controller;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;
using Fleet.Integration.Tests.Rollouts;

namespace Fleet.Integration.Tests.Releases;

/// <summary>
/// Two operators with fleetctl against a real controller: keys, trust init + push, deploy to an
/// environment that needs both signatures, approval, rollout status and deploy --watch, with a
/// simulated agent applying what it is sent.
/// </summary>
public sealed class CliReleaseFlowTests
{
    private const string Image = "127.0.0.1:5000/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task DeployApproveWatch_TwoOperators_RolloutSucceedsOnAgent()
    {
        // The simulated agent sends no heartbeats: at the harness's 1 s interval it is marked down
        // after 3 s, less than the two operators' fleetctl commands can take on a loaded machine.
        await using var controller = await ControllerHarness.StartAsync("--heartbeat-interval", "30s");
        using var folders = new TempDirectory("operators");
        var alice = new FleetCli(Path.Combine(folders.Path, "alice"));
        var bob = new FleetCli(Path.Combine(folders.Path, "bob"));
        var endpoint = new Foundation.ControllerEndpoint(controller.Endpoint.Url, controller.Endpoint.CaPin);
        await alice.LoginAsync(endpoint, controller.AdminToken);
        await bob.LoginAsync(endpoint, await controller.CreateTokenAsync(TokenRole.Deployer));
        await alice.OkAsync("keys", "generate", "--name", "alice");
        await bob.OkAsync("keys", "generate", "--name", "bob");
        await alice.OkAsync("keys", "import", "--name", "bob", Path.Combine(folders.Path, "bob", "keys", "bob.pub"));
        var trust = Path.Combine(folders.Path, "trust.json");
        await alice.OkAsync("trust", "init", "--root-key", "alice", "--env", "production=alice,bob:2", "-o", trust);
        Assert.Contains("trust policy v1 installed", await alice.OkAsync("trust", "push", trust), StringComparison.Ordinal);
        using var enrolled = await controller.EnrollAsync("web-1", labels: new Dictionary<string, string> { ["env"] = "production" });
        await using var agent = await SimulatedAgent.ConnectAsync(controller, enrolled);
        var file = Path.Combine(folders.Path, "fleet.yaml");
        await File.WriteAllTextAsync(file, $"app: shop\nservices:\n  web:\n    image: {Image}\n", TestContext.Current.CancellationToken);

        var deployed = await alice.OkAsync("deploy", "-f", file, "--env", "production", "--key", "alice");
        var releaseId = (await alice.JsonAsync("releases", "list", "--app", "shop"))
            .GetProperty("releases")[0].GetProperty("releaseId").GetString()!;
        var approved = await bob.OkAsync("releases", "approve", releaseId, "--yes", "--trust-policy", trust);
        var assignment = await agent.NextAssignmentAsync();
        await agent.SucceedAsync(assignment);
        var status = await Eventually.ReturnsAsync(
            () => alice.JsonAsync("rollout", "status", "--app", "shop", "--env", "production"),
            s => s.GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(30), "rollout succeeded");

        Assert.Contains("waits for approval", deployed, StringComparison.Ordinal);
        Assert.Contains("signed 2/2", approved, StringComparison.Ordinal);
        Assert.Equal(1, assignment.Sequence);
        Assert.Equal("done", status.GetProperty("targets")[0].GetProperty("state").GetString());

        // A second release to staging is refused: the policy has no rule for it.
        var refused = await alice.RunAsync("deploy", "-f", file, "--env", "staging", "--key", "alice");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("UnknownEnvironment", refused.Stderr, StringComparison.Ordinal);

        // deploy --watch follows the rollout until the agent reports healthy.
        var watching = bob.RunAsync("deploy", "-f", file, "--env", "production", "--key", "bob", "--watch");
        var pending = await Eventually.ReturnsAsync(
            () => alice.JsonAsync("releases", "list", "--app", "shop"),
            r => r.GetProperty("releases").GetArrayLength() == 2, TimeSpan.FromSeconds(30), "second release stored");
        await alice.OkAsync("releases", "approve", pending.GetProperty("releases")[0].GetProperty("releaseId").GetString()!, "--yes");
        await agent.SucceedAsync(await agent.NextAssignmentAsync());
        var watched = await watching;

        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Contains("web-1: done", watched.Stdout, StringComparison.Ordinal);
        Assert.Contains("succeeded", watched.Stdout, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Status;

public sealed class StatusCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public StatusCommandTests()
    {
        _cli.SaveTwoContexts();
        var down = Samples.ConnectedAgent("web-2");
        down.State = AgentState.Down;
        down.LastSeen = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(CliHarness.Now.AddMinutes(-5));
        _cli.Api.FleetStatus = new GetFleetStatusResponse
        {
            AgentsTotal = 3,
            AgentsConnected = 1,
            AgentsDown = 1,
            AgentsPending = 1,
            ControllerVersion = "0.1.0",
            Agents = { Samples.ConnectedAgent(), down, Samples.PendingAgent() },
        };
    }

    [Fact]
    public async Task Status_Table_CountsThenOneRowPerAgent()
    {
        Assert.Equal(0, await _cli.RunAsync("status"));

        var lines = _cli.Out.Split('\n');
        Assert.Equal("3 agents: 1 connected, 1 down, 0 revoked, 1 pending (controller 0.1.0)", lines[0]);
        Assert.Contains("3s ago", lines.Single(l => l.Contains("web-1", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("5m ago", lines.Single(l => l.Contains("web-2", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("down", lines.Single(l => l.Contains("web-2", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', _cli.Out);
    }

    [Fact]
    public async Task Status_Json_CountsAndAgentsWithIsoTimes()
    {
        Assert.Equal(0, await _cli.RunAsync("status", "-o", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        var root = json.RootElement;
        Assert.Equal(["controllerVersion", "counts", "agents", "certificateProblems", "failedBackups", "webhookProblems"], root.EnumerateObject().Select(p => p.Name));
        Assert.Empty(root.GetProperty("certificateProblems").EnumerateArray());
        Assert.Empty(root.GetProperty("failedBackups").EnumerateArray());
        var counts = root.GetProperty("counts");
        Assert.Equal(["total", "connected", "down", "revoked", "pending"], counts.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        Assert.Equal(1, counts.GetProperty("down").GetInt32());
        var web2 = root.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "web-2");
        Assert.Equal("down", web2.GetProperty("state").GetString());
        Assert.Equal("2025-03-01T11:55:00Z", web2.GetProperty("lastSeen").GetString());
    }

    [Fact]
    public async Task Status_EmptyFleet_PointsAtJoinTokens()
    {
        _cli.Api.FleetStatus = new GetFleetStatusResponse();

        Assert.Equal(0, await _cli.RunAsync("status"));

        Assert.Contains("0 agents: 0 connected", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("fleetctl tokens create --role agent-join", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_BadOutputFormat_Exits2()
    {
        Assert.Equal(2, await _cli.RunAsync("status", "--output", "yaml"));

        Assert.Contains("--output must be table or json, got 'yaml'", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
        Assert.Empty(_cli.Factory.Contexts);
    }

    [Fact]
    public async Task Status_CertificateExpiringOrRenewalFailed_ProblemLines()
    {
        _cli.Api.FleetStatus.CertificateProblems.Add(Certificates.CertsCommandsTests.Sample("web-1", "shop", days: 13));
        _cli.Api.FleetStatus.CertificateProblems.Add(Certificates.CertsCommandsTests.Failed(Certificates.CertsCommandsTests.Sample("web-2", "api", days: 40)));

        Assert.Equal(0, await _cli.RunAsync("status"));

        var problems = _cli.Out.Split('\n').Where(l => l.StartsWith("problem: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["problem: certificate web-1/shop: expires in 13 days (2025-03-14T12:00:00Z)", "problem: certificate web-2/api: last renewal failed: tsig: BADKEY"],
            problems.Select(p => p.TrimEnd()));
    }

    [Fact]
    public async Task Status_JsonWithExpiringCertificate_ListsTheProblem()
    {
        _cli.Api.FleetStatus.CertificateProblems.Add(Certificates.CertsCommandsTests.Sample("web-1", "shop", days: 2));

        Assert.Equal(0, await _cli.RunAsync("status", "-o", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        var problem = Assert.Single(json.RootElement.GetProperty("certificateProblems").EnumerateArray().ToList());
        Assert.Equal("web-1", problem.GetProperty("agent").GetString());
        Assert.Equal("shop", problem.GetProperty("name").GetString());
        Assert.Equal(2, problem.GetProperty("daysLeft").GetInt32());
        Assert.True(problem.GetProperty("expiringSoon").GetBoolean());
    }

    public void Dispose() => _cli.Dispose();
}

using System.Text.Json;
using Fleet.Cli.Agents;
using Fleet.Cli.Output;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Agents;

public sealed class AgentFormatterTests
{
    [Fact]
    public void Table_ConnectedAgent_ShowsEveryColumnHumanized()
    {
        var text = Render(AgentFormatter.Table([Samples.ConnectedAgent()], CliHarness.Now));

        var lines = text.Split('\n');
        var header = lines.Single(l => l.Contains("NAME", StringComparison.Ordinal));
        foreach (var column in new[] { "STATE", "LABELS", "RELEASES", "LAST SEEN", "CPU", "MEMORY", "DISK FREE", "DOCKER", "AGENT" })
        {
            Assert.Contains(column, header, StringComparison.Ordinal);
        }

        var row = lines.Single(l => l.Contains("web-1", StringComparison.Ordinal));
        foreach (var cell in new[] { "connected", "env=staging,role=web", "shop #4 (staging)", "3s ago", "12.3%", "2.0 GiB / 8.0 GiB", "45.5 GiB", "20.10.24", "0.1.0" })
        {
            Assert.Contains(cell, row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Table_PendingAgent_NeverSeenAndDashes()
    {
        var text = Render(AgentFormatter.Table([Samples.PendingAgent()], CliHarness.Now));

        var row = text.Split('\n').Single(l => l.Contains("db-1", StringComparison.Ordinal));
        Assert.Contains("pending", row, StringComparison.Ordinal);
        Assert.Contains("never", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_SeveralAgents_OrderedByName()
    {
        var text = Render(AgentFormatter.Table([Samples.ConnectedAgent("web-2"), Samples.PendingAgent("db-1"), Samples.ConnectedAgent("web-1")], CliHarness.Now));

        string[] names = ["db-1", "web-1", "web-2"];
        var order = names.Select(n => text.IndexOf(n, StringComparison.Ordinal)).ToArray();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void Details_ShowsStatusAndIsoTimes()
    {
        var text = Render(AgentFormatter.Details(Samples.ConnectedAgent(), CliHarness.Now));

        Assert.Contains("6f1c2d3e-0000-4000-8000-000000000001", text, StringComparison.Ordinal);
        Assert.Contains("2025-03-01T11:59:57Z (3s ago)", text, StringComparison.Ordinal);
        Assert.Contains("2025-03-02T08:00:00Z (in 20h)", text, StringComparison.Ordinal);
        Assert.Contains("1h2m", text, StringComparison.Ordinal);
        Assert.Contains("web-1.example.internal", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_ConnectedAgent_StableCamelCaseShape()
    {
        var json = JsonSerializer.Serialize(AgentFormatter.ToJson(Samples.ConnectedAgent()), CliJsonContext.Output.AgentJson);

        using var document = JsonDocument.Parse(json);
        var agent = document.RootElement;
        Assert.Equal(
            ["name", "agentId", "state", "labels", "lastSeen", "enrolledAt", "certificateNotAfter", "status", "releases", "encryptionKey"],
            agent.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("encryptionKey").ValueKind);
        Assert.Equal("connected", agent.GetProperty("state").GetString());
        Assert.Equal("2025-03-01T11:59:57Z", agent.GetProperty("lastSeen").GetString());
        Assert.Equal(["env", "role"], agent.GetProperty("labels").EnumerateObject().Select(p => p.Name));
        var release = Assert.Single(agent.GetProperty("releases").EnumerateArray().ToList());
        Assert.Equal(("shop", "staging", 4L), (release.GetProperty("app").GetString(), release.GetProperty("environment").GetString(), release.GetProperty("sequence").GetInt64()));
        var status = agent.GetProperty("status");
        Assert.Equal(
            ["takenAt", "cpuPercent", "memoryTotalBytes", "memoryAvailableBytes", "diskTotalBytes", "diskFreeBytes",
             "dockerReachable", "dockerVersion", "agentVersion", "uptimeSeconds", "hostname"],
            status.EnumerateObject().Select(p => p.Name));
        Assert.Equal(8 * Samples.GiB, status.GetProperty("memoryTotalBytes").GetUInt64());
        Assert.Equal(12.34, status.GetProperty("cpuPercent").GetDouble());
    }

    [Fact]
    public void ToJson_PendingAgent_NullsNotMissing()
    {
        var json = JsonSerializer.Serialize(AgentFormatter.ToJson(Samples.PendingAgent()), CliJsonContext.Output.AgentJson);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("lastSeen").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("labels").ValueKind);
    }

    private static string Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        using var writer = new StringWriter();
        new Renderer(writer, isTerminal: false, noColor: false).Write(renderable);
        return writer.ToString();
    }
}

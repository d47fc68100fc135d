using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Fleet.Core.Secrets;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fleet.Cli.Agents;

/// <summary>Maps controller answers about agents to tables and json.</summary>
internal static class AgentFormatter
{
    public static AgentListJson ToJson(IEnumerable<AgentSummary> agents) =>
        new([.. Ordered(agents).Select(ToJson)]);

    public static AgentJson ToJson(AgentSummary agent) => new(
        agent.Name,
        agent.AgentId,
        AgentStates.Name(agent.State),
        new SortedDictionary<string, string>(agent.Labels, StringComparer.Ordinal),
        Humanize.Iso(agent.LastSeen),
        Humanize.Iso(agent.EnrolledAt),
        Humanize.Iso(agent.CertificateNotAfter),
        agent.Status is { } s
            ? new AgentStatusJson(
                Humanize.Iso(s.TakenAt),
                s.CpuPercent,
                s.MemoryTotalBytes,
                s.MemoryAvailableBytes,
                s.DiskTotalBytes,
                s.DiskFreeBytes,
                s.DockerReachable,
                s.DockerVersion,
                s.AgentVersion,
                s.UptimeSeconds,
                s.Hostname)
            : null,
        [.. agent.Releases.Select(r => new AgentReleaseJson(r.App, r.Environment, r.Sequence))],
        EncryptionKey(agent));

    /// <summary>The fingerprint of the agent's encryption key, or null before it registered one.</summary>
    public static string? EncryptionKey(AgentSummary agent) =>
        agent.EncryptionPublicKey.IsEmpty ? null : EncryptionKeys.Fingerprint(agent.EncryptionPublicKey.Span);

    /// <summary>"shop #4 (staging), api #9 (production)", or "-" when the agent runs no release.</summary>
    private static string Releases(AgentSummary agent) =>
        agent.Releases.Count == 0 ? "-" : string.Join(", ", agent.Releases.Select(r => $"{r.App} #{r.Sequence} ({r.Environment})"));

    /// <summary>One row per agent, ordered by name.</summary>
    public static Table Table(IEnumerable<AgentSummary> agents, DateTimeOffset now)
    {
        var table = Renderer.Table("NAME", "STATE", "LABELS", "RELEASES", "LAST SEEN", "CPU", "MEMORY", "DISK FREE", "DOCKER", "AGENT");
        foreach (var agent in Ordered(agents))
        {
            var s = agent.Status;
            table.AddRow(
                new Text(agent.Name),
                State(agent.State),
                new Text(Humanize.Labels(agent.Labels)),
                new Text(Releases(agent)),
                new Text(Humanize.Relative(agent.LastSeen, now)),
                new Text(s is null ? "-" : Humanize.Percent(s.CpuPercent)),
                new Text(s is null ? "-" : Memory(s)),
                new Text(s is null ? "-" : Humanize.Bytes(s.DiskFreeBytes)),
                new Text(s is null ? "-" : Docker(s)),
                new Text(s is null || s.AgentVersion.Length == 0 ? "-" : s.AgentVersion));
        }

        return table;
    }

    /// <summary>Everything known about one agent, as label/value lines.</summary>
    public static Grid Details(AgentSummary agent, DateTimeOffset now)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Add(string label, IRenderable value) => grid.AddRow(new Text(label), value);
        void AddText(string label, string value) => Add(label, new Text(value));

        AddText("Name:", agent.Name);
        AddText("Agent id:", agent.AgentId);
        Add("State:", State(agent.State));
        AddText("Labels:", Humanize.Labels(agent.Labels));
        AddText("Releases:", Releases(agent));
        AddText("Last seen:", When(agent.LastSeen, now));
        AddText("Enrolled:", When(agent.EnrolledAt, now));
        AddText("Certificate until:", When(agent.CertificateNotAfter, now));
        AddText("Encryption key:", EncryptionKey(agent) ?? "none registered yet (the agent registers one when it connects)");
        if (agent.Status is { } s)
        {
            AddText("Hostname:", s.Hostname);
            AddText("Agent version:", s.AgentVersion);
            AddText("Uptime:", Parsing.Duration.Format(TimeSpan.FromSeconds(s.UptimeSeconds)));
            AddText("CPU:", Humanize.Percent(s.CpuPercent));
            AddText("Memory:", Memory(s));
            AddText("Disk:", $"{Humanize.Bytes(s.DiskFreeBytes)} free of {Humanize.Bytes(s.DiskTotalBytes)}");
            AddText("Docker:", Docker(s));
            AddText("Reported:", When(s.TakenAt, now));
        }
        else
        {
            AddText("Status:", "no status reported yet");
        }

        return grid;
    }

    private static IOrderedEnumerable<AgentSummary> Ordered(IEnumerable<AgentSummary> agents) =>
        agents.OrderBy(a => a.Name, StringComparer.Ordinal);

    private static Text State(AgentState state) => new(AgentStates.Name(state), state switch
    {
        AgentState.Connected => new Style(Color.Green),
        AgentState.Down => new Style(Color.Red),
        AgentState.Pending => new Style(Color.Yellow),
        _ => new Style(Color.Grey),
    });

    /// <summary>Used of total, e.g. "3.1 GiB / 7.8 GiB".</summary>
    private static string Memory(StatusSnapshot s) =>
        $"{Humanize.Bytes(s.MemoryTotalBytes - Math.Min(s.MemoryAvailableBytes, s.MemoryTotalBytes))} / {Humanize.Bytes(s.MemoryTotalBytes)}";

    private static string Docker(StatusSnapshot s) =>
        !s.DockerReachable ? "unreachable" : s.DockerVersion.Length == 0 ? "reachable" : s.DockerVersion;

    private static string When(Google.Protobuf.WellKnownTypes.Timestamp? time, DateTimeOffset now) =>
        time is null ? "never" : $"{Humanize.Iso(time)} ({Humanize.Relative(time, now)})";
}

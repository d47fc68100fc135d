using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Controller.Agents;

/// <summary>A row of the agents table.</summary>
internal sealed record AgentRow(
    Guid Id, string Name, IReadOnlyDictionary<string, string> Labels, DateTimeOffset EnrolledAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastSeen, byte[]? Status, DateTimeOffset CertificateNotAfter,
    string ReleasesJson = "[]", byte[]? EncryptionPublicKey = null)
{
    public AgentSummary ToSummary(AgentConnection? live, DateTimeOffset now, TimeSpan downAfter)
    {
        var liveBeat = live?.LastHeartbeat;
        var lastSeen = liveBeat is { } beat && (LastSeen is null || beat > LastSeen) ? beat : LastSeen;
        var summary = new AgentSummary
        {
            AgentId = Id.ToString("D"),
            Name = Name,
            State = AgentStates.Compute(RevokedAt, LastSeen, liveBeat, now, downAfter),
            EnrolledAt = Timestamp.FromDateTimeOffset(EnrolledAt),
            CertificateNotAfter = Timestamp.FromDateTimeOffset(CertificateNotAfter),
            LastSeen = lastSeen is { } seen ? Timestamp.FromDateTimeOffset(seen) : null,
            Status = Status is null ? null : StatusSnapshot.Parser.ParseFrom(Status),
            EncryptionPublicKey = EncryptionPublicKey is null ? ByteString.Empty : ByteString.CopyFrom(EncryptionPublicKey),
        };
        summary.Releases.AddRange(JsonSerializer.Deserialize<List<ReleaseColumn>>(ReleasesJson)!
            .Select(r => new AppliedRelease { App = r.App, Environment = r.Environment, Sequence = r.Sequence }));
        foreach (var (key, value) in Labels)
        {
            summary.Labels[key] = value;
        }
        return summary;
    }
}

/// <summary>One element of the agents query's releases column (agent_releases as json).</summary>
internal sealed record ReleaseColumn(
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("sequence")] long Sequence);

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Agent.Backups;
using Fleet.Contracts.V1;
using Google.Protobuf;

namespace Fleet.Agent.Releases;

/// <summary>
/// The final events of the assignments this agent finished (STATE/releases/results.json, replaced
/// atomically), so that a re-delivered assignment re-reports its outcome instead of acting again.
/// An APPLY is the same only with the same envelope bytes. Keeps the last <see cref="Capacity"/> assignments.
/// An assignment is recorded as begun before it acts: one that never finished (the agent was killed
/// mid-swap) is handled again after a restart, so that its outcome is still reported even when the
/// controller does not resend it (the agent's hello already shows the release applied).
/// </summary>
internal sealed class AssignmentResults(string stateDir)
{
    public const int Capacity = 200;

    private readonly Lock _lock = new();
    private readonly string _path = Path.Combine(Path.GetFullPath(stateDir), "releases", "results.json");

    public static string KeyOf(ReleaseAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.Action == AssignmentAction.Revert
            ? $"{assignment.RolloutId}/{assignment.App}/revert/{assignment.Sequence}/{assignment.RevertToSequence}"
            : $"{assignment.RolloutId}/{assignment.App}/apply/{assignment.Sequence}/{Convert.ToHexStringLower(SHA256.HashData(assignment.Envelope.Span))}";
    }

    public IReadOnlyList<AgentEvent>? Find(string key)
    {
        lock (_lock)
        {
            return Load().Entries.FirstOrDefault(e => e.Key == key)?.Events?.Select(JsonParser.Default.Parse<AgentEvent>).ToList();
        }
    }

    /// <summary>Marks the assignment as begun, until <see cref="Record"/> stores its outcome.</summary>
    public void Begin(string key, ReleaseAssignment assignment) =>
        Save(key, new ResultEntry(key, null, JsonFormatter.Default.Format(assignment)));

    public void Record(string key, IReadOnlyList<AgentEvent> events) =>
        Save(key, new ResultEntry(key, [.. events.Select(e => JsonFormatter.Default.Format(e))]));

    /// <summary>Assignments begun but never recorded as finished, oldest first.</summary>
    public IReadOnlyList<ReleaseAssignment> Unfinished()
    {
        lock (_lock)
        {
            return [.. Load().Entries.Where(e => e.Events is null && e.Assignment is not null).Select(e => JsonParser.Default.Parse<ReleaseAssignment>(e.Assignment))];
        }
    }

    private void Save(string key, ResultEntry entry)
    {
        lock (_lock)
        {
            var file = Load();
            var entries = file.Entries.Where(e => e.Key != key)
                .Append(entry)
                .TakeLast(Capacity)
                .ToList();
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            using (var stream = new FileStream(temporary, PrivateFile.Options(FileMode.Create)))
            {
                JsonSerializer.Serialize(stream, new ResultsFile(entries), ResultsJsonContext.Default.ResultsFile);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
    }

    private ResultsFile Load() =>
        File.Exists(_path)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(_path), ResultsJsonContext.Default.ResultsFile) ?? new ResultsFile([])
            : new ResultsFile([]);
}

/// <summary>One assignment: its final events once finished; the assignment itself while it runs.</summary>
internal sealed record ResultEntry(string Key, IReadOnlyList<string>? Events, string? Assignment = null);

internal sealed record ResultsFile(IReadOnlyList<ResultEntry> Entries);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ResultsFile))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;

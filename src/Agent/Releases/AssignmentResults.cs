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
            return Load().Entries.FirstOrDefault(e => e.Key == key)?.Events.Select(JsonParser.Default.Parse<AgentEvent>).ToList();
        }
    }

    public void Record(string key, IReadOnlyList<AgentEvent> events)
    {
        lock (_lock)
        {
            var file = Load();
            var entries = file.Entries.Where(e => e.Key != key)
                .Append(new ResultEntry(key, [.. events.Select(e => JsonFormatter.Default.Format(e))]))
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

internal sealed record ResultEntry(string Key, IReadOnlyList<string> Events);

internal sealed record ResultsFile(IReadOnlyList<ResultEntry> Entries);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ResultsFile))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;

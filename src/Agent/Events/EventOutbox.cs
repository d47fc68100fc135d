using System.Globalization;
using System.Text;
using Fleet.Agent.Backups;
using Fleet.Contracts.V1;
using Google.Protobuf;

namespace Fleet.Agent.Events;

/// <summary>
/// The agent's on-disk event outbox: STATE/events/outbox.jsonl holds one <see cref="AgentEvent"/>
/// per line (protobuf JSON, appended and fsynced before it counts as written) and
/// STATE/events/acked the last sequence the controller stored (replaced atomically). Sequences
/// increase by one per event and continue across restarts. Events are delivered at least once:
/// everything after the acked sequence is resent after every reconnect. Acknowledged lines are
/// compacted away. A line torn by a crash mid-append is skipped.
/// </summary>
internal sealed class EventOutbox : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _folder;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long? _lastSequence;

    public EventOutbox(string stateDir)
    {
        _folder = Path.Combine(Path.GetFullPath(stateDir), "events");
    }

    private string LogPath => Path.Combine(_folder, "outbox.jsonl");

    private string AckPath => Path.Combine(_folder, "acked");

    /// <summary>Numbers <paramref name="draft"/> with the next sequence, writes it durably and returns it.</summary>
    public async Task<AgentEvent> AppendAsync(AgentEvent draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        TaskCompletionSource appended;
        AgentEvent numbered;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var last = LastSequence();
            numbered = draft.Clone();
            numbered.Sequence = last + 1;
            Directory.CreateDirectory(_folder);
            var line = Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(numbered) + "\n");
            using (var log = new FileStream(LogPath, PrivateFile.Options(FileMode.Append)))
            {
                await log.WriteAsync(line, cancellationToken);
                log.Flush(flushToDisk: true);
            }

            _lastSequence = numbered.Sequence;
            appended = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        finally
        {
            _gate.Release();
        }

        appended.SetResult();
        return numbered;
    }

    /// <summary>Events not yet acknowledged with a sequence above <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AgentEvent>> ReadPendingAsync(long after, int max, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var from = Math.Max(after, ReadAcked());
            return [.. ReadAll().Where(e => e.Sequence > from).Take(max)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes when an unacknowledged event with a sequence above <paramref name="after"/> has been written.</summary>
    public async Task WaitForEventAfterAsync(long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task appended;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (LastSequence() > Math.Max(after, ReadAcked()))
                {
                    return;
                }

                appended = _appended.Task;
            }
            finally
            {
                _gate.Release();
            }

            await appended.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Records that every event up to <paramref name="throughSequence"/> is stored, and drops those lines.</summary>
    public async Task AcknowledgeAsync(long throughSequence, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (throughSequence <= ReadAcked())
            {
                return;
            }

            // Never acknowledge beyond what was written: a confused controller must not skip future events.
            var acked = Math.Min(throughSequence, LastSequence());
            WriteAtomically(AckPath, acked.ToString(CultureInfo.InvariantCulture));
            var pending = ReadAll().Where(e => e.Sequence > acked).Select(e => JsonFormatter.Default.Format(e) + "\n");
            WriteAtomically(LogPath, string.Concat(pending));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The last sequence written; on first use, cuts a line torn by a crash so the next append starts clean.</summary>
    private long LastSequence()
    {
        if (_lastSequence is { } known)
        {
            return known;
        }

        if (File.Exists(LogPath))
        {
            var bytes = File.ReadAllBytes(LogPath);
            var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            if (end < bytes.Length)
            {
                WriteAtomically(LogPath, Encoding.UTF8.GetString(bytes, 0, end));
            }
        }

        _lastSequence = Math.Max(ReadAll().LastOrDefault()?.Sequence ?? 0, ReadAcked());
        return _lastSequence.Value;
    }

    private List<AgentEvent> ReadAll()
    {
        var events = new List<AgentEvent>();
        if (!File.Exists(LogPath))
        {
            return events;
        }

        foreach (var line in File.ReadLines(LogPath))
        {
            try
            {
                if (line.Length > 0)
                {
                    events.Add(JsonParser.Default.Parse<AgentEvent>(line));
                }
            }
            catch (Exception ex) when (ex is InvalidJsonException or InvalidProtocolBufferException)
            {
                // A line torn by a crash mid-append: it was never reported as written.
            }
        }

        return events;
    }

    private long ReadAcked() =>
        File.Exists(AckPath) && long.TryParse(File.ReadAllText(AckPath).Trim(), CultureInfo.InvariantCulture, out var acked) ? acked : 0;

    private void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(_folder);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, PrivateFile.Options(FileMode.Create)))
        {
            file.Write(Encoding.UTF8.GetBytes(content));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

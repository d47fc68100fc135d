using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Backups;

/// <summary>
/// <see cref="IBackupReportOutbox"/> in STATE/reports.jsonl (one JSON report per line, appended
/// and fsynced) and STATE/reports.acked (the last acknowledged sequence, replaced atomically).
/// When everything is acknowledged the log is emptied. A torn last line after a crash is skipped.
/// </summary>
internal sealed class FileBackupReportOutbox(IOptions<BackupsOptions> options) : IBackupReportOutbox, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long? _lastSequence;

    private string Folder => options.Value.StateDirectory;
    private string LogPath => Path.Combine(Folder, "reports.jsonl");
    private string AckPath => Path.Combine(Folder, "reports.acked");

    public async Task<BackupReport> AppendAsync(BackupReport report, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _lastSequence ??= Math.Max(ReadAll().LastOrDefault()?.Sequence ?? 0, ReadAcked());
            var numbered = report with { Sequence = _lastSequence.Value + 1 };
            Directory.CreateDirectory(Folder);
            var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(numbered, BackupJsonContext.Default.BackupReport) + "\n");
            using (var log = new FileStream(LogPath, PrivateFile.Options(FileMode.Append)))
            {
                await log.WriteAsync(line, cancellationToken);
                log.Flush(flushToDisk: true);
            }
            _lastSequence = numbered.Sequence;
            return numbered;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<BackupReport>> ReadPendingAsync(int max, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var acked = ReadAcked();
            return [.. ReadAll().Where(r => r.Sequence > acked).Take(max)];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task AcknowledgeAsync(long throughSequence, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (throughSequence <= ReadAcked())
            {
                return;
            }
            WriteAtomically(AckPath, throughSequence.ToString(CultureInfo.InvariantCulture));
            var all = ReadAll();
            if (all.Count > 0 && all[^1].Sequence <= throughSequence)
            {
                // Everything is delivered: start an empty log (the acked file keeps the sequence going).
                WriteAtomically(LogPath, "");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<BackupReport> ReadAll()
    {
        var reports = new List<BackupReport>();
        if (!File.Exists(LogPath))
        {
            return reports;
        }
        foreach (var line in File.ReadLines(LogPath))
        {
            try
            {
                if (line.Length > 0 && JsonSerializer.Deserialize(line, BackupJsonContext.Default.BackupReport) is { } report)
                {
                    reports.Add(report);
                }
            }
            catch (JsonException)
            {
                // A line torn by a crash mid-append; the run it described is reported as lost.
            }
        }
        return reports;
    }

    private long ReadAcked() =>
        File.Exists(AckPath) && long.TryParse(File.ReadAllText(AckPath).Trim(), CultureInfo.InvariantCulture, out var acked) ? acked : 0;

    private void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(Folder);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, PrivateFile.Options(FileMode.Create)))
        {
            file.Write(Encoding.UTF8.GetBytes(content));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Dispose() => _gate.Dispose();
}

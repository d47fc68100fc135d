using System.Diagnostics;
using System.Text;

namespace Fleet.Agent.Backups;

/// <summary>
/// A running PostgreSQL tool with its stderr collected (last 4 KiB) for error messages.
/// Disposing kills it if it still runs, so a failed pipeline never leaves a pg_dump behind.
/// </summary>
internal sealed class ToolProcess : IAsyncDisposable
{
    private const int StderrLimit = 4096;
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ToolProcess(Process process)
    {
        _process = process;
        _stderr = ReadTailAsync(process.StandardError);
    }

    public string Name { get; private init; } = "";

    public Stream Stdout => _process.StandardOutput.BaseStream;

    public Stream Stdin => _process.StandardInput.BaseStream;

    public int Id => _process.Id;

    public static ToolProcess Start(ProcessStartInfo startInfo)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        try
        {
            var process = Process.Start(startInfo) ?? throw new BackupException($"could not start {startInfo.FileName}");
            return new ToolProcess(process) { Name = Path.GetFileName(startInfo.FileName) };
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new BackupException($"could not start {startInfo.FileName}: {ex.Message}", ex);
        }
    }

    /// <summary>Waits for the exit; throws <see cref="BackupException"/> with the stderr tail unless it exited 0.</summary>
    public async Task<string> WaitForSuccessAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        var stderr = await _stderr;
        return _process.ExitCode == 0
            ? stderr
            : throw new BackupException($"{Name} failed (exit code {_process.ExitCode}): {Summarize(stderr)}");
    }

    public static string Summarize(string stderr) =>
        stderr.Length == 0 ? "no error output" : stderr.Trim().ReplaceLineEndings(" | ");

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[1024];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, n);
            if (tail.Length > StderrLimit)
            {
                tail.Remove(0, tail.Length - StderrLimit);
            }
        }
        return tail.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}

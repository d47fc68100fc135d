using System.Diagnostics;
using System.Text;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// The real fleet-agent as a separate OS process (`fleet-agent run`), so that tests can SIGKILL it
/// mid-swap and start it again on the same state folder. Its Deploy settings come from environment
/// variables (Deploy__X), as on a real host; it reaches Docker through the inherited DOCKER_HOST.
/// Its --metrics-listen is "off" unless a test gives 127.0.0.1:PORT for a Prometheus to scrape.
/// </summary>
internal sealed class AgentProcess(string name, string stateDirectory, IReadOnlyDictionary<string, string> environment, string metricsListen = "off") : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Name { get; } = name;

    public string StateDirectory { get; } = stateDirectory;

    public string JournalPath => Path.Combine(StateDirectory, "deploy", "journal.json");

    public bool IsRunning => _process is { HasExited: false };

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts `fleet-agent run`; <paramref name="overrides"/> replace environment variables for this start only.</summary>
    public void Start(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var start = Command(["run", "--state-dir", StateDirectory, "--metrics-listen", metricsListen]);
        var variables = new Dictionary<string, string>(environment);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start fleet-agent");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no graceful shutdown, nothing flushed, the swap stops wherever it is.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Runs another fleet-agent verb (e.g. `trust install`) to its end; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Command(args)) ?? throw new InvalidOperationException("could not start fleet-agent");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    private static ProcessStartInfo Command(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleet-agent.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

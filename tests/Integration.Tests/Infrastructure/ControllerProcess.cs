using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Fleet.Integration.Tests.Infrastructure;

/// <summary>
/// The real fleet-controller as a separate process, so that tests can kill it with SIGKILL and
/// start it again on the same port and data folder.
/// </summary>
internal sealed class ControllerProcess : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string[] _extraArguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public ControllerProcess(string dataDirectory, string connectionString, params string[] extraArguments)
    {
        _dataDirectory = dataDirectory;
        ConnectionString = connectionString;
        _extraArguments = extraArguments;
    }

    public string ConnectionString { get; }

    public string Url { get; private set; } = "";

    public string CaPin { get; private set; } = "";

    public string AdminToken { get; private set; } = "";

    public int Port => new Uri(Url).Port;

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

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);
        var endpointFile = Path.Combine(_dataDirectory, "endpoint.json");
        File.Delete(endpointFile);
        var listen = Url.Length == 0 ? "127.0.0.1:0" : $"127.0.0.1:{Port}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleet-controller.dll"));
        foreach (var argument in (string[])["--data", _dataDirectory, "--listen", listen, "--connection-string", ConnectionString, "--metrics-listen", "off", .. _extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start fleet-controller");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var process = _process;
        var endpoint = await Eventually.ReturnsAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"fleet-controller exited with {process.ExitCode}:\n{Output}");
                }

                return File.Exists(endpointFile) ? JsonDocument.Parse(await File.ReadAllTextAsync(endpointFile, cancellationToken)) : null;
            },
            doc => doc is not null && doc.RootElement.GetProperty("pid").GetInt32() == process.Id,
            TimeSpan.FromSeconds(60),
            "fleet-controller to write endpoint.json");

        var root = endpoint!.RootElement;
        Url = root.GetProperty("url").GetString()!;
        CaPin = root.GetProperty("caPin").GetString()!;
        AdminToken = (await File.ReadAllTextAsync(root.GetProperty("adminTokenPath").GetString()!, cancellationToken)).Trim();
    }

    /// <summary>SIGKILL: no graceful shutdown, no flushing.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
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

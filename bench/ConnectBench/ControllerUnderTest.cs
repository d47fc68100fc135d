using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Bench.Connect;

/// <summary>The real fleet-controller process: started, measured (RSS), killed and restarted.</summary>
internal sealed class ControllerUnderTest(string dll, string dataDirectory, string connectionString) : IDisposable
{
    private Process? _process;
    private int _port;
    private int _metricsPort;

    public Uri Url { get; private set; } = null!;

    public string CaPin { get; private set; } = "";

    public string AdminToken { get; private set; } = "";

    /// <summary>The admin token as call metadata.</summary>
    public Grpc.Core.Metadata AdminMetadata => new() { { "authorization", $"Bearer {AdminToken}" } };

    /// <summary>
    /// The controller a benchmark's arguments (CONTROLLER_DLL DATA_DIR CONNECTION_STRING AGENTS) name,
    /// started and killed when the benchmark exits however it does; null after the usage when they are wrong.
    /// </summary>
    public static async Task<(ControllerUnderTest Controller, int Agents)?> StartFromArgumentsAsync(string[] args, string program)
    {
        if (args.Length != 4 || !int.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var agents) || agents < 1)
        {
            await Console.Error.WriteLineAsync($"usage: {program} CONTROLLER_DLL DATA_DIR CONNECTION_STRING AGENTS");
            return null;
        }

        var controller = new ControllerUnderTest(args[0], args[1], args[2]);
        try
        {
            // A benchmark stopped by a signal must not leave its controller behind.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => controller.Kill();
            await controller.StartAsync();
            return (controller, agents);
        }
        catch
        {
            controller.Dispose();
            throw;
        }
    }

    public async Task StartAsync()
    {
        if (_metricsPort == 0)
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            _metricsPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var endpointFile = Path.Combine(dataDirectory, "endpoint.json");
        File.Delete(endpointFile);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])[dll, "--data", dataDirectory, "--listen", $"127.0.0.1:{_port}", "--connection-string", connectionString, "--metrics-listen", $"127.0.0.1:{_metricsPort}"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start fleet-controller");
        // Kept for a look after a run: DATA/controller.log (warnings and errors only).
        var log = new StreamWriter(Path.Combine(dataDirectory, "controller.log"), append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"fleet-controller exited with {_process.ExitCode}");
            }

            if (File.Exists(endpointFile))
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(endpointFile));
                if (doc.RootElement.GetProperty("pid").GetInt32() == _process.Id)
                {
                    Url = new Uri(doc.RootElement.GetProperty("url").GetString()!);
                    CaPin = doc.RootElement.GetProperty("caPin").GetString()!;
                    AdminToken = (await File.ReadAllTextAsync(doc.RootElement.GetProperty("adminTokenPath").GetString()!)).Trim();
                    _port = Url.Port;
                    return;
                }
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("fleet-controller did not become ready in 60 s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    /// <summary>Resident set size in KiB, read from /proc.</summary>
    public long RssKb()
    {
        var line = File.ReadLines($"/proc/{_process!.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>CPU time (user + system) the controller used so far, in seconds, read from /proc.</summary>
    public double CpuSeconds()
    {
        // Fields after the command name: state is field 3, utime 14 and stime 15, in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{_process!.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// From the controller's own Prometheus endpoint: its managed heap after its last GC (all
    /// generations) and the memory its GC holds committed, in KiB, and how many GCs it has run.
    /// RSS minus the committed memory is native (OpenSSL, sockets, the runtime itself).
    /// </summary>
    public async Task<GcFigures> GcAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics"));
        long heap = 0, committed = 0, collections = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal))
            {
                heap += Value(line);
            }
            else if (line.StartsWith("dotnet_gc_last_collection_memory_committed_size_bytes", StringComparison.Ordinal))
            {
                committed += Value(line);
            }
            else if (line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal))
            {
                collections += Value(line);
            }
        }

        return new GcFigures(heap / 1024, committed / 1024, collections);

        static long Value(string line) =>
            (long)double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _process = null;
    }
}

/// <summary>The controller's GC as its metrics report it; sizes in KiB.</summary>
internal readonly record struct GcFigures(long HeapKb, long CommittedKb, long Collections);

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fleet.Integration.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's, FLEET_TEST_PROMETHEUS) as a plain process on 127.0.0.1 and a free
/// port, with its own storage folder, scraping <c>targets</c> every second.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("prometheus");
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    private PrometheusProcess(int port) => Address = new Uri($"http://127.0.0.1:{port}/");

    public Uri Address { get; }

    public static async Task<PrometheusProcess> StartAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var binary = TestEnvironment.Require("FLEET_TEST_PROMETHEUS", "Prometheus (Debian package prometheus)");
        var prometheus = new PrometheusProcess(LoopbackPort.Free());
        var config = prometheus._directory.Combine("prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            scrape_configs:
              - job_name: fleet
                static_configs:
                  - targets: [{{string.Join(", ", targets.Select(t => $"'{t}'"))}}]
            """, cancellationToken);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[
            $"--config.file={config}", $"--web.listen-address=127.0.0.1:{prometheus.Address.Port}",
            $"--storage.tsdb.path={prometheus._directory.Combine("data")}"])
        {
            start.ArgumentList.Add(argument);
        }

        prometheus._process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        prometheus._process.OutputDataReceived += (_, e) => prometheus.Append(e.Data);
        prometheus._process.ErrorDataReceived += (_, e) => prometheus.Append(e.Data);
        prometheus._process.BeginOutputReadLine();
        prometheus._process.BeginErrorReadLine();
        await Eventually.UntilAsync(
            async () => prometheus._process.HasExited
                ? throw new InvalidOperationException($"prometheus exited:\n{prometheus.Output}")
                : (await prometheus._http.GetAsync(new Uri(prometheus.Address, "-/ready"), cancellationToken)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "prometheus to be ready");
        return prometheus;
    }

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

    /// <summary>An instant query through /api/v1/query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        var uri = new Uri(Address, $"api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var document = JsonDocument.Parse(await _http.GetStringAsync(uri, cancellationToken));
        var data = document.RootElement.GetProperty("data");
        return [.. data.GetProperty("result").EnumerateArray().Select(series => (
            series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

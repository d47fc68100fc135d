using System.Globalization;
using System.Net.Sockets;

namespace Fleet.Agent.Deploy;

/// <summary>Builds the probe for a service container: its liveness first, then the declared HTTP, TCP or command check.</summary>
internal sealed class ServiceHealthCheck(IContainerRuntime runtime) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => _http.Dispose();

    public Func<CancellationToken, Task<ProbeResult>> For(HealthCheckSpec spec, string containerId, SlotAssignment slot) =>
        async cancellationToken =>
        {
            var status = await runtime.InspectAsync(containerId, cancellationToken);
            if (status is null)
            {
                return new ProbeResult(false, "container disappeared", Fatal: true);
            }

            // Docker restarts a crashing container (unless-stopped); once it runs again its exit code reads 0.
            if (status.Running && status.RestartCount > 0)
            {
                return new ProbeResult(false, $"container exited and was restarted {status.RestartCount} times", Fatal: true);
            }

            if (!status.Running)
            {
                return new ProbeResult(false, $"container exited with code {status.ExitCode}", Fatal: true);
            }

            return await CheckAsync(spec, containerId, slot, cancellationToken);
        };

    /// <summary>Only the declared check, whatever the container's state (liveness: a stopped container simply fails).</summary>
    public async Task<ProbeResult> CheckAsync(HealthCheckSpec spec, string containerId, SlotAssignment slot, CancellationToken cancellationToken)
    {
        return spec.Kind switch
        {
            HealthCheckKind.Http => await HttpAsync(slot, spec.Path, cancellationToken),
            HealthCheckKind.Tcp => await TcpAsync(slot, cancellationToken),
            HealthCheckKind.Command => await CommandAsync(containerId, spec.Command ?? [], cancellationToken),
            _ => ProbeResult.Pass("the container is running"),
        };
    }

    private async Task<ProbeResult> HttpAsync(SlotAssignment slot, string path, CancellationToken cancellationToken)
    {
        var uri = new Uri($"http://{slot.Endpoint}/{path.TrimStart('/')}");
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var code = (int)response.StatusCode;
        var detail = $"GET {uri.AbsolutePath} returned {code.ToString(CultureInfo.InvariantCulture)}";
        return code is >= 200 and < 400 ? ProbeResult.Pass(detail) : ProbeResult.Fail(detail);
    }

    private static async Task<ProbeResult> TcpAsync(SlotAssignment slot, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", slot.Port, cancellationToken);
        return ProbeResult.Pass($"tcp connect to {slot.Endpoint} succeeded");
    }

    private async Task<ProbeResult> CommandAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await runtime.ExecAsync(containerId, command, cancellationToken);
        var detail = $"health command exited with code {result.ExitCode}: {result.Output.Trim()}";
        return result.ExitCode == 0 ? ProbeResult.Pass(detail) : ProbeResult.Fail(detail);
    }
}

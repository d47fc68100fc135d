using System.Text.Json;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Fleet.Controller.Identity;
using Fleet.Controller.Operators;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Hosting;

/// <summary>
/// Once Kestrel listens: writes DATA/endpoint.json atomically and prints one
/// <c>fleet-controller ready url=… ca-pin=…</c> line on stdout for scripts to wait on.
/// </summary>
internal sealed partial class ReadyAnnouncer(
    IServer server, HealthServiceImpl health, ServerIdentity identity, AdminTokenBootstrap admin, IOptions<ControllerOptions> options, ILogger<ReadyAnnouncer> logger)
{
    private readonly TaskCompletionSource<ControllerEndpoint> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the controller accepts connections.</summary>
    public Task<ControllerEndpoint> Ready => _ready.Task;

    public void Announce()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var https = addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal));
        var port = new Uri(https).Port;
        var endpoint = new ControllerEndpoint($"https://127.0.0.1:{port}", identity.Authority.Pin, admin.TokenPath, Environment.ProcessId);
        if (!options.Value.Listen.StartsWith("127.0.0.1:", StringComparison.Ordinal) && !options.Value.Listen.StartsWith("localhost:", StringComparison.Ordinal))
        {
            endpoint = endpoint with { Url = https.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal) };
        }

        SecretFile.WritePublic(Path.Combine(options.Value.Data, "endpoint.json"), JsonSerializer.Serialize(endpoint, ControllerEndpointJson.Default.ControllerEndpoint));
        Console.Out.WriteLine($"fleet-controller ready url={endpoint.Url} ca-pin={endpoint.CaPin}");
        Console.Out.Flush();
        Log.Ready(logger, endpoint.Url, endpoint.CaPin);
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        _ready.TrySetResult(endpoint);
    }

    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information, "Controller ready at {Url} with CA pin {CaPin}")]
        public static partial void Ready(ILogger logger, string url, string caPin);
    }
}

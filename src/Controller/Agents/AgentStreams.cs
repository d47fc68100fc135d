using Fleet.Contracts.V1;
using Fleet.Controller.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Agents;

/// <summary>Runs one agent's Connect stream: Hello, settings, then a heartbeat/ack loop until either side ends it.</summary>
internal sealed partial class AgentStreams(
    AgentRegistry registry, AgentDirectory directory, HeartbeatWriter writer,
    IOptions<ControllerOptions> options, TimeProvider time, ILogger<AgentStreams> logger)
{
    public async Task RunAsync(
        AgentIdentity agent, IAsyncStreamReader<AgentMessage> requests, IServerStreamWriter<ControllerMessage> responses, CancellationToken callCancelled)
    {
        if (!await requests.MoveNext(callCancelled))
        {
            return;
        }

        if (requests.Current.KindCase != AgentMessage.KindOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "the first message on the Connect stream must be AgentHello"));
        }

        var connectedAt = time.GetUtcNow();
        using var connection = new AgentConnection(agent.Id, agent.Name, connectedAt);
        registry.Register(connection);
        // A revocation that landed between authentication and registration would otherwise miss this stream.
        if ((await directory.FindAsync(agent.Id, callCancelled))?.RevokedAt is { } revokedAt)
        {
            connection.Close(StatusCode.PermissionDenied, AgentAuthenticator.RevokedMessage(agent.Name, revokedAt));
        }

        Log.Connected(logger, agent.Name, agent.Id, requests.Current.Hello.AgentVersion);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, connection.Closed);
        try
        {
            var interval = (int)Math.Ceiling(options.Value.HeartbeatInterval.TotalSeconds);
            var settings = new ConnectionSettings { HeartbeatIntervalSeconds = interval, ReconnectSpreadSeconds = ReconnectSpread.Seconds(registry.Count) };
            await responses.WriteAsync(new ControllerMessage { Settings = settings }, linked.Token);
            writer.Enqueue(agent.Id, connectedAt, status: null);
            while (await requests.MoveNext(linked.Token))
            {
                var heartbeat = requests.Current.Heartbeat
                    ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "only Heartbeat messages may follow AgentHello on the Connect stream"));
                var now = time.GetUtcNow();
                connection.Touch(now);
                writer.Enqueue(agent.Id, now, heartbeat.Status);
                await responses.WriteAsync(new ControllerMessage { HeartbeatAck = new HeartbeatAck { Sequence = heartbeat.Sequence } }, linked.Token);
            }
        }
        catch (OperationCanceledException) when (connection.Closed.IsCancellationRequested)
        {
            Log.Closed(logger, agent.Name, connection.CloseStatus.Detail);
            throw new RpcException(connection.CloseStatus);
        }
        finally
        {
            registry.Unregister(connection);
            Log.Disconnected(logger, agent.Name, agent.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1500, LogLevel.Information, "Agent {Name} ({AgentId}) connected, version {AgentVersion}")]
        public static partial void Connected(ILogger logger, string name, Guid agentId, string agentVersion);

        [LoggerMessage(1501, LogLevel.Information, "Agent {Name} ({AgentId}) disconnected")]
        public static partial void Disconnected(ILogger logger, string name, Guid agentId);

        [LoggerMessage(1502, LogLevel.Information, "Closed the stream of agent {Name}: {Reason}")]
        public static partial void Closed(ILogger logger, string name, string reason);
    }
}

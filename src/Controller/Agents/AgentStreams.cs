using Fleet.Contracts.V1;
using Fleet.Controller.Hosting;
using Fleet.Controller.Rollouts;
using Fleet.Controller.Secrets;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Agents;

/// <summary>
/// Runs one agent's Connect stream: Hello (what it runs is recorded), settings, then heartbeats
/// (acknowledged), events (stored de-duplicated, then acknowledged) and answers to operator
/// commands until either side ends it.
/// One writer task sends everything queued on the connection (acks, release assignments).
/// </summary>
internal sealed partial class AgentStreams(
    AgentRegistry registry, AgentDirectory directory, HeartbeatWriter writer, RolloutEvents events, AgentCommands commands, AgentEncryptionKeys encryptionKeys,
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

        var hello = requests.Current.Hello;
        await events.RecordHelloAsync(agent.Id, hello.Applied, callCancelled);
        await encryptionKeys.RegisterAsync(agent, hello.EncryptionPublicKey, callCancelled);
        var connectedAt = time.GetUtcNow();
        using var connection = new AgentConnection(agent.Id, agent.Name, connectedAt);
        registry.Register(connection);
        // A revocation that landed between authentication and registration would otherwise miss this stream.
        if ((await directory.FindAsync(agent.Id, callCancelled))?.RevokedAt is { } revokedAt)
        {
            connection.Close(StatusCode.PermissionDenied, AgentAuthenticator.RevokedMessage(agent.Name, revokedAt));
        }

        Log.Connected(logger, agent.Name, agent.Id, hello.AgentVersion);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, connection.Closed);
        Task? sending = null;
        try
        {
            var interval = (int)Math.Ceiling(options.Value.HeartbeatInterval.TotalSeconds);
            var settings = new ConnectionSettings { HeartbeatIntervalSeconds = interval, ReconnectSpreadSeconds = ReconnectSpread.Seconds(Math.Max(registry.Count, directory.KnownCount)) };
            await responses.WriteAsync(new ControllerMessage { Settings = settings }, linked.Token);
            sending = SendAsync(connection, responses, linked.Token);
            writer.Enqueue(agent.Id, connectedAt, status: null);
            // The rollout driver sends this agent what it has not applied yet.
            events.AgentConnected();
            while (await requests.MoveNext(linked.Token))
            {
                var message = requests.Current;
                var now = time.GetUtcNow();
                connection.Touch(now);
                switch (message.KindCase)
                {
                    case AgentMessage.KindOneofCase.Heartbeat:
                        writer.Enqueue(agent.Id, now, message.Heartbeat.Status);
                        connection.Send(new ControllerMessage { HeartbeatAck = new HeartbeatAck { Sequence = message.Heartbeat.Sequence } });
                        break;
                    case AgentMessage.KindOneofCase.Event:
                        await events.RecordAsync(agent.Id, message.Event, linked.Token);
                        connection.Send(new ControllerMessage { EventAck = new EventAck { Sequence = message.Event.Sequence } });
                        break;
                    case AgentMessage.KindOneofCase.CommandResult:
                        commands.Complete(connection, message.CommandResult);
                        break;
                    default:
                        throw new RpcException(new Status(StatusCode.FailedPrecondition, "only Heartbeat, AgentEvent and CommandResult messages may follow AgentHello on the Connect stream"));
                }
            }
        }
        catch (OperationCanceledException) when (connection.Closed.IsCancellationRequested)
        {
            Log.Closed(logger, agent.Name, connection.CloseStatus.Detail);
            throw new RpcException(connection.CloseStatus);
        }
        finally
        {
            connection.CompleteOutbound();
            if (sending is not null)
            {
                await sending;
            }

            // A stream replaced by the same agent's newer one leaves its presence to that one.
            if (registry.Unregister(connection))
            {
                writer.EnqueueDisconnected(agent.Id, time.GetUtcNow());
            }

            commands.Abandon(connection);
            Log.Disconnected(logger, agent.Name, agent.Id);
        }
    }

    /// <summary>The stream's only writer: drains the connection's queue until it completes or the stream ends.</summary>
    private static async Task SendAsync(AgentConnection connection, IServerStreamWriter<ControllerMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in connection.Outbound.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            // The stream ended; what was not sent is sent again after the agent reconnects.
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

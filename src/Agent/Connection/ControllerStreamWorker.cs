using Fleet.Agent.Events;
using Fleet.Agent.Health;
using Fleet.Agent.Hosting;
using Fleet.Agent.Identity;
using Fleet.Agent.Secrets;
using Fleet.Agent.Telemetry;
using Fleet.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Fleet.Agent.Connection;

/// <summary>
/// Holds the one Connect stream: Hello (with the releases applied here), then a heartbeat with a
/// status snapshot every interval the controller asks for, reading acks and release assignments
/// meanwhile, and sending the event outbox (everything unacknowledged after each connect, then each
/// new event). Operator commands run beside all this; each answer goes back on the same stream. A broken stream is re-opened after a
/// jittered exponential backoff; a refused (revoked) agent keeps retrying at the maximum delay.
/// </summary>
internal sealed partial class ControllerStreamWorker(
    IControllerStreamClient client,
    IStatusSource status,
    IReleaseAssignments releases,
    EventOutbox events,
    AgentCommandDispatcher commands,
    AgentMetrics metrics,
    AgentEncryptionKey encryptionKey,
    TimeProvider time,
    ILogger<ControllerStreamWorker> logger,
    Random? random = null) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan SettingsTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Heartbeats sent without an ack before the stream counts as dead.</summary>
    public const int MaxUnacknowledged = 3;

    private readonly Backoff _backoff = new(TimeSpan.FromSeconds(1), random);
    private readonly Random _random = random ?? Random.Shared;
    private bool _attempted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = await ConnectOnceAsync(stoppingToken);
            // Outside any try: a failing connection must never become a hot loop.
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    /// <summary>Runs one connection until it ends; returns how long to wait before the next.</summary>
    internal async Task<TimeSpan> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        if (_attempted)
        {
            metrics.Reconnecting();
        }

        _attempted = true;
        var reconnectSpread = TimeSpan.Zero;
        try
        {
            using var stream = new SerialStream(client.Open(cancellationToken));
            await stream.SendAsync(Hello(), cancellationToken);
            (var interval, reconnectSpread) = await ReadSettingsAsync(stream, cancellationToken);
            _backoff.Reset();
            metrics.SetConnected(true);
            Log.Connected(logger, interval);
            await RunHeartbeatsAsync(stream, interval, cancellationToken);
            throw new InvalidOperationException("the heartbeat loop ended without an error"); // it only ends by throwing
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // Stopping: gRPC reports the cancelled call as an RpcException, which is no failure.
            throw new OperationCanceledException("the agent is stopping", ex, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated && !cancellationToken.IsCancellationRequested)
        {
            var wait = MaxRetryDelay * (0.8 + (_random.NextDouble() * 0.4));
            Log.Refused(logger, ex.Status.Detail, wait);
            return wait;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A stream that was up is lost by every agent at once when the controller restarts:
            // the first retry is spread as wide as the controller asked, later ones back off.
            var wait = reconnectSpread > TimeSpan.Zero ? reconnectSpread * _random.NextDouble() : _backoff.Next(MaxRetryDelay);
            Log.Disconnected(logger, Describe(ex), wait, ex);
            return wait;
        }
        finally
        {
            metrics.SetConnected(false);
        }
    }

    private AgentMessage Hello() => new()
    {
        Hello = new AgentHello
        {
            AgentVersion = AgentVersion.Current,
            Capabilities = { ReleasesCapability, CommandsCapability },
            Applied = { releases.Applied() },
            EncryptionPublicKey = ByteString.CopyFrom(encryptionKey.PublicKey),
        },
    };

    private async Task<(TimeSpan Interval, TimeSpan ReconnectSpread)> ReadSettingsAsync(SerialStream stream, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(SettingsTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ControllerMessage? first;
        try
        {
            first = await stream.ReadAsync(linked.Token);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // gRPC reports the cancelled read as RpcException(Cancelled); name the real cause.
            throw new TimeoutException($"the controller sent no connection settings within {SettingsTimeout}", ex);
        }

        var settings = first switch
        {
            null => throw new IOException("the controller closed the stream before sending connection settings"),
            { KindCase: ControllerMessage.KindOneofCase.Settings } m => m.Settings,
            _ => throw new InvalidDataException($"the controller sent {first.KindCase} before connection settings"),
        };
        var interval = settings.HeartbeatIntervalSeconds > 0 ? TimeSpan.FromSeconds(settings.HeartbeatIntervalSeconds) : DefaultInterval;
        var spread = TimeSpan.FromSeconds(Math.Clamp(settings.ReconnectSpreadSeconds, 0, (int)MaxRetryDelay.TotalSeconds));
        return (interval, spread);
    }

    private async Task RunHeartbeatsAsync(SerialStream stream, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var acks = new AckTracker();
        var reader = ReadAcksAsync(stream, acks, connection.Token);
        var writer = WriteHeartbeatsAsync(stream, interval, acks, connection.Token);
        var sender = SendEventsAsync(stream, connection.Token);
        var ended = await Task.WhenAny(reader, writer, sender);
        await connection.CancelAsync();
        await Task.WhenAll(reader, writer, sender).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ended; // the first to end carries the reason
    }

    private async Task ReadAcksAsync(SerialStream stream, AckTracker acks, CancellationToken cancellationToken)
    {
        while (await stream.ReadAsync(cancellationToken) is { } message)
        {
            switch (message.KindCase)
            {
                case ControllerMessage.KindOneofCase.HeartbeatAck:
                    acks.Acknowledge(message.HeartbeatAck.Sequence);
                    Log.Acknowledged(logger, message.HeartbeatAck.Sequence);
                    break;
                case ControllerMessage.KindOneofCase.Assignment:
                    Log.Assigned(logger, message.Assignment.App, message.Assignment.Sequence, message.Assignment.Action);
                    releases.Post(message.Assignment);
                    break;
                case ControllerMessage.KindOneofCase.EventAck:
                    await events.AcknowledgeAsync(message.EventAck.Sequence, cancellationToken);
                    break;
                case ControllerMessage.KindOneofCase.Command:
                    _ = AnswerAsync(stream, message.Command, cancellationToken);
                    break;
            }
        }

        throw new IOException("the controller closed the stream");
    }

    // Runs beside the stream: a backup may take minutes while heartbeats go on.
    private async Task AnswerAsync(SerialStream stream, AgentCommand command, CancellationToken cancellationToken)
    {
        try
        {
            var result = await commands.RunAsync(command, cancellationToken);
            await stream.SendAsync(new AgentMessage { CommandResult = result }, cancellationToken);
        }
        catch (Exception ex)
        {
            // The stream ended first; the operator's call has already failed as "disconnected".
            Log.Unanswered(logger, command.CommandId, ex);
        }
    }

    private async Task WriteHeartbeatsAsync(SerialStream stream, TimeSpan interval, AckTracker acks, CancellationToken cancellationToken)
    {
        for (long sequence = 1; ; sequence++)
        {
            if (sequence - 1 - acks.Last >= MaxUnacknowledged)
            {
                throw new TimeoutException($"the controller acknowledged no heartbeat after {acks.Last} for {MaxUnacknowledged} intervals");
            }

            var snapshot = await status.CollectAsync(cancellationToken);
            await stream.SendAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = sequence, Status = snapshot } }, cancellationToken);
            metrics.HeartbeatSent();
            await Task.Delay(interval, time, cancellationToken);
        }
    }

    private string Describe(Exception exception) => exception switch
    {
        RpcException rpc when client.LastTransportFailure is { } tls => $"{rpc.Status.Detail}: {tls}",
        RpcException rpc => EnrollmentErrors.Detail(rpc),
        _ => exception.Message,
    };

    private sealed class AckTracker
    {
        private long _last;

        public long Last => Interlocked.Read(ref _last);

        public void Acknowledge(long sequence)
        {
            long seen;
            while ((seen = Interlocked.Read(ref _last)) < sequence && Interlocked.CompareExchange(ref _last, sequence, seen) != seen)
            {
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "Connected to the controller; heartbeat every {Interval}")]
        public static partial void Connected(ILogger logger, TimeSpan interval);

        [LoggerMessage(1101, LogLevel.Debug, "Heartbeat {Sequence} acknowledged")]
        public static partial void Acknowledged(ILogger logger, long sequence);

        [LoggerMessage(1102, LogLevel.Warning, "Controller stream lost ({Reason}); reconnecting in {RetryDelay}")]
        public static partial void Disconnected(ILogger logger, string reason, TimeSpan retryDelay, Exception exception);

        [LoggerMessage(1104, LogLevel.Information, "Assignment received: {App} #{Sequence} ({Action})")]
        public static partial void Assigned(ILogger logger, string app, long sequence, AssignmentAction action);

        [LoggerMessage(1105, LogLevel.Warning, "Could not answer command {CommandId}: the stream ended")]
        public static partial void Unanswered(ILogger logger, string commandId, Exception exception);

        [LoggerMessage(1103, LogLevel.Error, "The controller refused this agent: {Reason}. A revoked agent or an expired certificate needs 'fleet-agent enroll --force' with a new join token. Retrying in {RetryDelay}")]
        public static partial void Refused(ILogger logger, string reason, TimeSpan retryDelay);
    }
}

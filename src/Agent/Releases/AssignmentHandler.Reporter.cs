using System.Threading.Channels;
using Fleet.Agent.Deploy;
using Fleet.Agent.Events;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Agent.Releases;

internal sealed partial class AssignmentHandler
{
    /// <summary>Minimum time between two pull byte-count events of one service (each event is an fsync).</summary>
    public static readonly TimeSpan PullReportInterval = TimeSpan.FromSeconds(1);

    // Turns the outcome and the swap engine's steps into outbox events for one assignment.
    private sealed class Reporter(ReleaseAssignment assignment, EventOutbox outbox, TimeProvider time)
    {
        public Task<AgentEvent> EmitAsync(
            AgentEventKind kind, string step, string? detail, string? logTail, long bytes, CancellationToken cancellationToken) =>
            outbox.AppendAsync(
                new AgentEvent
                {
                    At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
                    RolloutId = assignment.RolloutId,
                    App = assignment.App,
                    ReleaseSequence = assignment.Action == AssignmentAction.Revert ? assignment.RevertToSequence : assignment.Sequence,
                    Kind = kind,
                    Step = step,
                    Detail = detail ?? "",
                    LogTail = logTail ?? "",
                    Bytes = bytes,
                },
                cancellationToken);

        /// <summary>
        /// Runs a swap; its steps become PROGRESS events in order (written by one pump, since the
        /// engine reports synchronously). Failures are reported by the caller from the result.
        /// </summary>
        public async Task<SwapResult> SwapAsync(Func<IProgress<SwapProgress>, Task<SwapResult>> swap, CancellationToken cancellationToken)
        {
            var steps = Channel.CreateUnbounded<SwapProgress>(new UnboundedChannelOptions { SingleReader = true });
            var pump = PumpAsync(steps.Reader, cancellationToken);
            try
            {
                return await swap(new Progress(steps.Writer));
            }
            finally
            {
                steps.Writer.TryComplete();
                await pump;
            }
        }

        private async Task PumpAsync(ChannelReader<SwapProgress> steps, CancellationToken cancellationToken)
        {
            var lastPullReport = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            await foreach (var step in steps.ReadAllAsync(CancellationToken.None))
            {
                if (step.Step == SwapStep.Failed)
                {
                    continue;
                }

                if (step.Bytes is { } bytes)
                {
                    var now = time.GetUtcNow();
                    if (lastPullReport.TryGetValue(step.Service, out var last) && now - last < PullReportInterval && bytes.BytesDone < bytes.BytesTotal)
                    {
                        continue;
                    }

                    lastPullReport[step.Service] = now;
                }

                await EmitAsync(
                    AgentEventKind.Progress,
                    StepName(step.Step),
                    $"{step.Service}: {step.Detail}".TrimEnd(' ', ':'),
                    step.LogTail,
                    step.Bytes?.BytesDone ?? 0,
                    cancellationToken);
            }
        }

        private static string StepName(SwapStep step) => step switch
        {
            SwapStep.Pulling => "pulling",
            SwapStep.HookRunning => "hook",
            SwapStep.Starting => "starting",
            SwapStep.HealthChecking => "health",
            SwapStep.Switching => "switching",
            SwapStep.Draining => "draining",
            _ => "applied",
        };

        private sealed class Progress(ChannelWriter<SwapProgress> writer) : IProgress<SwapProgress>
        {
            public void Report(SwapProgress value) => writer.TryWrite(value);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6000, LogLevel.Information, "Assignment {App} #{Sequence} ({Action}) was handled before; re-reporting its outcome")]
        public static partial void Duplicate(ILogger logger, string app, long sequence, AssignmentAction action);

        [LoggerMessage(6001, LogLevel.Warning, "Release {App} #{Sequence} refused ({Code}): {Reason}")]
        public static partial void Refused(ILogger logger, string app, long sequence, string code, string reason);

        [LoggerMessage(6002, LogLevel.Warning, "Release {App} #{Sequence} turned unhealthy after its switch: {Detail}; rolling back")]
        public static partial void Regressed(ILogger logger, string app, long sequence, string detail);

        [LoggerMessage(6003, LogLevel.Warning, "{Listener} failed to follow release {App} #{Sequence}")]
        public static partial void ListenerFailed(ILogger logger, string listener, string app, long sequence, Exception exception);

        [LoggerMessage(6004, LogLevel.Warning,
            "Release {App} #{Sequence} serves again, but this agent holds no manifest of it (e.g. it was applied before the agent kept them); the app's backups and certificates stay as they were")]
        public static partial void ManifestUnknown(ILogger logger, string app, long sequence);
    }
}

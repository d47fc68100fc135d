using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Hosting;
using Google.Protobuf;

namespace Fleet.Controller.Rollouts;

/// <summary>What the driver needs to send assignments for one rollout.</summary>
internal sealed record DispatchInfo(
    string App, string Environment, long Sequence, ByteString Envelope, int MinHealthySeconds, bool OnceHooks,
    IReadOnlyDictionary<Guid, long> Applied, IReadOnlyDictionary<Guid, long> Previous);

/// <summary>
/// Queues ReleaseAssignments on the streams of connected agents: APPLY to targets that should apply
/// and have not (per Hello.applied and events) while <c>active</c> (the rollout runs, or succeeded
/// and hosts converge to it, see <see cref="RolloutMachine.SendsApply"/>), REVERT to targets being returned to their previous
/// release. Each assignment goes once per stream (a reconnect is a new stream), so the driver and
/// the submit path may both send from what they just committed. While a wave to at least
/// <see cref="CollectionHold.LargeWave"/> hosts goes out, collections are held off
/// (<see cref="CollectionHold"/>) and reads paused until its hosts answer (<see cref="InboundPause"/>).
/// </summary>
internal sealed partial class AssignmentSender(AgentRegistry registry, CollectionHold hold, InboundPause pause, ILogger<AssignmentSender> logger)
{
    public void Send(string rolloutId, bool active, IReadOnlyList<TargetSnapshot> targets, DispatchInfo work)
    {
        // Hosts that get the same assignment share one message (a wave of 10,000 is one APPLY).
        var messages = new Dictionary<(AssignmentAction Action, long RevertTo, bool RunOnceHooks), ControllerMessage>();
        var keys = new Dictionary<AssignmentAction, string>();
        var queued = 0;
        var paused = 0;
        foreach (var target in targets)
        {
            var action = target.State switch
            {
                TargetState.Applying when active && work.Applied.GetValueOrDefault(target.AgentId) < work.Sequence => AssignmentAction.Apply,
                TargetState.Reverting => AssignmentAction.Revert,
                _ => AssignmentAction.Unspecified,
            };
            if (action == AssignmentAction.Unspecified || registry.Find(target.AgentId) is not { } connection)
            {
                continue;
            }

            var shape = (action,
                RevertTo: action == AssignmentAction.Revert ? work.Previous.GetValueOrDefault(target.AgentId) : 0,
                // The planner put the hook host alone in wave 0.
                RunOnceHooks: action == AssignmentAction.Apply && work.OnceHooks && target.Wave == 0);
            if (!messages.TryGetValue(shape, out var message))
            {
                messages[shape] = message = new ControllerMessage
                {
                    Assignment = new ReleaseAssignment
                    {
                        RolloutId = rolloutId,
                        App = work.App,
                        Environment = work.Environment,
                        Sequence = work.Sequence,
                        Envelope = work.Envelope,
                        Action = action,
                        RevertToSequence = shape.RevertTo,
                        MinHealthySeconds = work.MinHealthySeconds,
                        RunOnceHooks = shape.RunOnceHooks,
                    },
                };
            }

            if (!keys.TryGetValue(action, out var key))
            {
                keys[action] = key = $"{rolloutId}:{action}";
            }

            if (connection.SendOnce(key, message))
            {
                Log.Sent(logger, action, rolloutId, target.Name);
                // Right after the first message is queued: writing it takes its connection several
                // thread-pool hops, so it counts (had it been written already, the limit ends the pause).
                if (++queued == 1 && targets.Count >= CollectionHold.LargeWave)
                {
                    pause.TryBegin(out paused);
                }

                if (queued == CollectionHold.LargeWave)
                {
                    hold.Begin();
                }
            }
        }

        if (paused != 0)
        {
            pause.Expect(paused, queued);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3111, LogLevel.Debug, "Sent {Action} of rollout {RolloutId} to {Agent}")]
        public static partial void Sent(ILogger logger, AssignmentAction action, string rolloutId, string agent);
    }
}

using System.Diagnostics;
using Fleet.Bench.Connect;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Bench.Fanout;

internal sealed record Percentiles(double P50, double P99, double Max);

/// <summary>When each agent received the APPLY of the expected release; each acknowledges it with a PROGRESS event.</summary>
internal sealed class Receipts(int agents)
{
    private readonly long[] _at = new long[agents];
    private readonly long[] _eventSequence = new long[agents];
    private long _expected;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Expect(long sequence)
    {
        Array.Clear(_at);
        Volatile.Write(ref _count, 0);
        Interlocked.Exchange(ref _expected, sequence);
    }

    public void Record(SimulatedAgent agent, ReleaseAssignment assignment)
    {
        var now = Stopwatch.GetTimestamp();
        if (assignment.Action != AssignmentAction.Apply || assignment.Sequence != Interlocked.Read(ref _expected)
            || Interlocked.CompareExchange(ref _at[agent.Index], now, 0) != 0)
        {
            return;
        }

        Interlocked.Increment(ref _count);
        _ = agent.SendAsync(Event(agent.Index, assignment.RolloutId, assignment.Sequence, AgentEventKind.Progress), CancellationToken.None);
    }

    public AgentMessage Event(int agent, string rolloutId, long sequence, AgentEventKind kind) => new()
    {
        Event = new AgentEvent
        {
            Sequence = Interlocked.Increment(ref _eventSequence[agent]),
            At = Timestamp.FromDateTimeOffset(TimeProvider.System.GetUtcNow()),
            RolloutId = rolloutId,
            App = "shop",
            ReleaseSequence = sequence,
            Kind = kind,
            Step = kind == AgentEventKind.Progress ? "received" : "",
        },
    };

    /// <summary>Delays in milliseconds from <paramref name="submittedAt"/> (a Stopwatch timestamp).</summary>
    public Percentiles Measure(long submittedAt)
    {
        var delays = _at.Select(at => Stopwatch.GetElapsedTime(submittedAt, at).TotalMilliseconds).Order().ToArray();
        return new Percentiles(At(0.50), At(0.99), delays[^1]);

        double At(double quantile) => delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(quantile * delays.Length) - 1)];
    }
}

using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

/// <summary>Collects progress events synchronously, in order.</summary>
internal sealed class EventLog : IProgress<SwapProgress>
{
    private readonly List<SwapProgress> _events = [];

    public IReadOnlyList<SwapProgress> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public bool Saw(SwapStep step) => Events.Any(e => e.Step == step);

    public void Report(SwapProgress value)
    {
        lock (_events)
        {
            _events.Add(value);
        }
    }
}

using Fleet.Contracts.V1;

namespace Fleet.Agent.Connection;

internal sealed partial class ControllerStreamWorker
{
    /// <summary>Hello capability: this agent takes ReleaseAssignment and sends AgentEvent.</summary>
    public const string ReleasesCapability = "releases";

    /// <summary>Hello capability: this agent answers AgentCommand with CommandResult.</summary>
    public const string CommandsCapability = "commands";

    /// <summary>Events sent per outbox read.</summary>
    public const int EventBatch = 100;

    // Delivered at least once: every connection starts from the last acknowledged event.
    private async Task SendEventsAsync(SerialStream stream, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (true)
        {
            var pending = await events.ReadPendingAsync(sent, EventBatch, cancellationToken);
            foreach (var item in pending)
            {
                await stream.SendAsync(new AgentMessage { Event = item }, cancellationToken);
                sent = item.Sequence;
            }

            if (pending.Count < EventBatch)
            {
                await events.WaitForEventAfterAsync(sent, cancellationToken);
            }
        }
    }

    // gRPC allows one write at a time; heartbeats and events share the stream.
    private sealed class SerialStream(IControllerStream inner) : IDisposable
    {
        private readonly SemaphoreSlim _writing = new(1, 1);

        public async Task SendAsync(AgentMessage message, CancellationToken cancellationToken)
        {
            await _writing.WaitAsync(cancellationToken);
            try
            {
                await inner.SendAsync(message, cancellationToken);
            }
            finally
            {
                _writing.Release();
            }
        }

        public Task<ControllerMessage?> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public void Dispose()
        {
            inner.Dispose();
            _writing.Dispose();
        }
    }
}

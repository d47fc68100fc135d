using Fleet.Contracts.V1;

namespace Fleet.Agent.Health;

/// <summary>Takes the status snapshot sent with each heartbeat.</summary>
internal interface IStatusSource
{
    Task<StatusSnapshot> CollectAsync(CancellationToken cancellationToken);
}

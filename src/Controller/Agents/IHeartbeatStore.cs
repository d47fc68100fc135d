namespace Fleet.Controller.Agents;

internal interface IHeartbeatStore
{
    Task WriteAsync(IReadOnlyDictionary<Guid, PendingHeartbeat> batch, CancellationToken cancellationToken);
}

using Fleet.Agent.Connection;
using Proto = Fleet.Contracts.V1;

namespace Fleet.Agent.Backups;

/// <summary>fleetctl backups run: backs up one declaration now.</summary>
internal sealed class RunBackupCommandHandler(BackupService backups) : IAgentCommandHandler
{
    public Proto.AgentCommand.KindOneofCase Kind => Proto.AgentCommand.KindOneofCase.RunBackup;

    public async Task<Proto.CommandResult> HandleAsync(Proto.AgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var run = command.RunBackup;
        var result = await backups.RunAsync(backups.Find(run.App, run.Name), BackupTrigger.Manual, releaseSequence: null, cancellationToken);
        return BackupCommandResult.From(result, $"backup {result.Report.BackupId} of {run.App}/{run.Name}: {result.Manifest?.SizeBytes ?? 0} bytes stored");
    }
}

/// <summary>fleetctl backups restore: restores one backup into a database that does not exist yet.</summary>
internal sealed class RestoreBackupCommandHandler(BackupService backups, BackupRestorer restorer) : IAgentCommandHandler
{
    public Proto.AgentCommand.KindOneofCase Kind => Proto.AgentCommand.KindOneofCase.RestoreBackup;

    public async Task<Proto.CommandResult> HandleAsync(Proto.AgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var restore = command.RestoreBackup;
        var result = await restorer.RestoreAsync(backups.Find(restore.App, restore.Name), restore.BackupId, restore.ToDatabase, BackupTrigger.Manual, cancellationToken);
        return BackupCommandResult.From(result, $"backup {restore.BackupId} of {restore.App}/{restore.Name} restored into database {restore.ToDatabase}");
    }
}

/// <summary>fleetctl backups verify: restores one backup (default the newest) into a scratch database, checks it, drops it.</summary>
internal sealed class VerifyBackupCommandHandler(BackupService backups, BackupRestorer restorer) : IAgentCommandHandler
{
    public Proto.AgentCommand.KindOneofCase Kind => Proto.AgentCommand.KindOneofCase.VerifyBackup;

    public async Task<Proto.CommandResult> HandleAsync(Proto.AgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var verify = command.VerifyBackup;
        var result = verify.BackupId.Length == 0
            ? await restorer.VerifyLatestAsync(verify.App, verify.Name, BackupTrigger.Manual, cancellationToken)
            : await restorer.VerifyAsync(backups.Find(verify.App, verify.Name), verify.BackupId, BackupTrigger.Manual, cancellationToken);
        return BackupCommandResult.From(result, $"backup {result.Report.BackupId} of {verify.App}/{verify.Name} restores and passes the sanity query");
    }
}

internal static class BackupCommandResult
{
    public static Proto.CommandResult From(BackupRunResult result, string detail) => new()
    {
        Ok = result.Succeeded,
        Error = result.Error ?? "",
        Detail = result.Succeeded ? detail : "",
        Backup = EventBackupReportOutbox.ToProto(result.Report),
    };
}

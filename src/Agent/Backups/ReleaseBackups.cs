using Fleet.Agent.Releases;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>The backups feature's side of the apply path: pre-deploy backups, then the schedules of the release that serves.</summary>
internal sealed class ReleaseBackups(BackupService backups, ReleaseBackupDeclarations declarations) : IReleaseBackups, IReleaseAppliedListener
{
    public async Task<string?> BeforeSwapAsync(string app, long release, IReadOnlyList<BackupSpec> specs, CancellationToken cancellationToken)
    {
        var result = await backups.RunPreDeployAsync(specs.Select(s => ReleaseBackupDeclarations.Map(app, s)), release, cancellationToken);
        return result.MayProceed ? null : result.Reason;
    }

    /// <summary>The release's declarations replace the app's earlier ones; with none serving, the app has none.</summary>
    public Task AppliedReleaseChangedAsync(string app, ReleaseManifest? applied, CancellationToken cancellationToken)
    {
        declarations.Replace(app, applied?.Release.Backups ?? []);
        return Task.CompletedTask;
    }
}

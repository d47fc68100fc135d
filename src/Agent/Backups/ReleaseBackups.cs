using Fleet.Agent.Releases;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>The backups feature's side of the apply path: pre-deploy backups, then the applied release's schedules.</summary>
internal sealed class ReleaseBackups(BackupService backups, ReleaseBackupDeclarations declarations) : IReleaseBackups, IReleaseAppliedListener
{
    public async Task<string?> BeforeSwapAsync(string app, long release, IReadOnlyList<BackupSpec> specs, CancellationToken cancellationToken)
    {
        var result = await backups.RunPreDeployAsync(specs.Select(s => ReleaseBackupDeclarations.Map(app, s)), release, cancellationToken);
        return result.MayProceed ? null : result.Reason;
    }

    /// <summary>The release serves: its declarations replace the app's earlier ones.</summary>
    public Task ReleaseAppliedAsync(ReleaseManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        declarations.Replace(manifest.App, manifest.Release.Backups ?? []);
        return Task.CompletedTask;
    }
}

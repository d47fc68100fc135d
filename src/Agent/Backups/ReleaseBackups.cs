using Fleet.Agent.Releases;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>The backups feature's side of the apply path: pre-deploy backups, then the applied release's schedules.</summary>
internal sealed class ReleaseBackups(BackupService backups, ReleaseBackupDeclarations declarations) : IReleaseBackups
{
    public async Task<string?> BeforeSwapAsync(string app, long release, IReadOnlyList<BackupSpec> specs, CancellationToken cancellationToken)
    {
        var result = await backups.RunPreDeployAsync(specs.Select(s => ReleaseBackupDeclarations.Map(app, s)), release, cancellationToken);
        return result.MayProceed ? null : result.Reason;
    }

    public void Applied(string app, long release, IReadOnlyList<BackupSpec> specs) => declarations.Replace(app, specs);
}

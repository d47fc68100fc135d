using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// What the apply path asks of the backups feature before the swap (and so before the release's
/// hooks): its <c>pre_deploy</c> backups. Once the release serves, the feature takes its
/// declarations as an <see cref="IReleaseAppliedListener"/>.
/// </summary>
internal interface IReleaseBackups
{
    /// <summary>Runs the release's <c>pre_deploy</c> backups in order; the reason the deploy must stop, or null.</summary>
    Task<string?> BeforeSwapAsync(string app, long release, IReadOnlyList<BackupSpec> backups, CancellationToken cancellationToken);
}

/// <summary>An agent built without the backups feature: a release that needs a pre-deploy backup fails rather than deploying unprotected.</summary>
internal sealed class NoReleaseBackups : IReleaseBackups
{
    public Task<string?> BeforeSwapAsync(string app, long release, IReadOnlyList<BackupSpec> backups, CancellationToken cancellationToken) =>
        Task.FromResult(backups.Any(b => b.PreDeploy && !b.Optional)
            ? "the release declares a pre-deploy backup but this agent runs without the backups feature"
            : null);
}

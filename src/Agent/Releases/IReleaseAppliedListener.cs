using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// Told which verified release serves an app on this host whenever that changes (register with
/// <c>services.AddSingleton&lt;IReleaseAppliedListener, …&gt;()</c>), so features declared in the
/// release (certificates, backups) follow it. A failure is logged and never fails the release.
/// </summary>
internal interface IReleaseAppliedListener
{
    /// <summary>
    /// <paramref name="applied"/> serves <paramref name="app"/> now: a release just switched, or the one a
    /// rollback or revert returned to; null when nothing of the app runs here any more (its first release was withdrawn).
    /// </summary>
    Task AppliedReleaseChangedAsync(string app, ReleaseManifest? applied, CancellationToken cancellationToken);
}

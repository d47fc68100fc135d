using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// Told after a verified release switched on this host (register with
/// <c>services.AddSingleton&lt;IReleaseAppliedListener, …&gt;()</c>), so features declared in the
/// release (certificates, backups) follow it. A failure is logged and never fails the release.
/// </summary>
internal interface IReleaseAppliedListener
{
    Task ReleaseAppliedAsync(ReleaseManifest manifest, CancellationToken cancellationToken);
}

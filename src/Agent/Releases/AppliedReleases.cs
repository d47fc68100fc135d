using Fleet.Agent.Deploy;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>What the deploy journal says this host runs and has run, per app (this agent has one environment).</summary>
internal sealed class AppliedReleases(DeployJournal journal)
{
    /// <summary>
    /// The highest sequence this host ever switched to per app: the applied release, or the one it
    /// reverted from (kept as previous), so a reverted release is never admitted again.
    /// </summary>
    public IReadOnlyDictionary<AppEnvironment, long> LastApplied(string environment) =>
        journal.All()
            .GroupBy(e => e.App, StringComparer.Ordinal)
            .Select(g => (App: g.Key, Sequence: g.Max(e => Math.Max(e.Applied?.Release ?? 0, e.Previous?.Release ?? 0))))
            .Where(a => a.Sequence > 0)
            .ToDictionary(a => new AppEnvironment(a.App, environment), a => a.Sequence);

    /// <summary>For Hello: the release serving each app now (the lowest across its services while a swap is half done).</summary>
    public IReadOnlyList<AppliedRelease> Serving(string environment) =>
        [.. journal.All()
            .Where(e => e.Applied is not null)
            .GroupBy(e => e.App, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AppliedRelease { App = g.Key, Environment = environment, Sequence = g.Min(e => e.Applied!.Release) })];

    public IReadOnlyList<ServiceJournal> Services(string app) =>
        [.. journal.All().Where(e => e.App == app).OrderBy(e => e.Service, StringComparer.Ordinal)];

    /// <summary>True when every service of <paramref name="request"/> serves exactly that release.</summary>
    public bool Serves(DeployRequest request) =>
        request.Services.All(s => journal.Get(request.App, s.Name)?.Applied is { } applied
            && applied.Release == request.Release && applied.Spec.Image == s.Image);
}

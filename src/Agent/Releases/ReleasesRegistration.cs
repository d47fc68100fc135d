using Fleet.Agent.Connection;
using Fleet.Agent.Deploy;
using Fleet.Agent.Events;
using Fleet.Agent.Trust;
using Fleet.Core.Releases;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Agent.Releases;

internal static class ReleasesRegistration
{
    /// <summary>The label that names an agent's environment (<c>--label env=staging</c> at enrollment).</summary>
    public const string EnvironmentLabel = "env";

    /// <summary>
    /// Signed releases on this host: the swap engine with its journal in STATE/deploy/journal.json
    /// (unless Deploy:JournalPath is set), the trust policy STATE/trust.json, the event outbox
    /// STATE/events, and the assignment queue the controller stream feeds (it reconciles at start).
    /// </summary>
    public static IServiceCollection AddReleases(
        this IServiceCollection services, IConfiguration configuration, string stateDir, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrEmpty(configuration[$"{DeployOptions.Section}:{nameof(DeployOptions.JournalPath)}"]))
        {
            configuration[$"{DeployOptions.Section}:{nameof(DeployOptions.JournalPath)}"] = Path.Combine(stateDir, "deploy", "journal.json");
        }

        configuration[$"{DeployOptions.Section}:{nameof(DeployOptions.StateDirectory)}"] ??= stateDir;
        services.AddDeploy();
        services.AddSingleton(new AgentTarget(labels.GetValueOrDefault(EnvironmentLabel, ""), labels));
        services.AddSingleton(new AgentTrust(stateDir));
        services.AddSingleton(new EventOutbox(stateDir));
        services.AddSingleton(new AssignmentResults(stateDir));
        services.AddSingleton<AppliedReleases>();
        services.AddSingleton(new AppliedManifests(stateDir));
        services.AddSingleton<HealthWatch>();
        services.TryAddSingleton<IReleaseBackups, NoReleaseBackups>();
        services.TryAddSingleton<IReleaseSecrets, NoReleaseSecrets>();
        services.AddSingleton<AssignmentHandler>();
        services.AddSingleton<AssignmentQueue>();
        services.AddSingleton<IReleaseAssignments>(sp => sp.GetRequiredService<AssignmentQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<AssignmentQueue>());
        return services;
    }
}

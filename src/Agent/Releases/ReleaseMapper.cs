using Fleet.Agent.Deploy;
using Signed = Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// Maps a verified release manifest onto the swap engine's <see cref="DeployRequest"/>, field by
/// field. What the engine cannot run faithfully is refused with a reason rather than dropped:
/// a service without a health check, a hook whose image is not its service's, hook
/// environment. A service without ports runs on the host network (the slot's port is passed as
/// PORT); with ports it runs on a bridge network, listening on its health-check port (or its first
/// port), reached through its slot's endpoint; its other ports that name a host port are
/// published on 127.0.0.1.
/// </summary>
internal static class ReleaseMapper
{
    public static (DeployRequest? Request, string? Error) Map(Signed.ReleaseManifest manifest, bool runOnceHooks)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var release = manifest.Release;
        var problems = new List<string>();
        var hooks = release.Hooks
            .Where(h => runOnceHooks || h.Run == Signed.HookRun.EachHost)
            .ToLookup(h => HookOwner(h, release, problems));
        var services = release.Services.Select(s => MapService(s, hooks[s.Name], problems)).ToList();
        return problems.Count == 0
            ? (new DeployRequest(release.App, manifest.Sequence, services), null)
            : (null, "this agent cannot run the release as signed: " + string.Join("; ", problems));
    }

    private static string HookOwner(Signed.HookSpec hook, Signed.ReleaseDefinition release, List<string> problems)
    {
        var owner = hook.Service is { } named
            ? release.Services.FirstOrDefault(s => s.Name == named)
            : release.Services.FirstOrDefault(s => s.Image == hook.Image);
        if (owner is null || owner.Image != hook.Image)
        {
            problems.Add($"hook '{hook.Name}' must use the image of the service it belongs to");
            return "";
        }

        if (hook.Environment.Count > 0)
        {
            problems.Add($"hook '{hook.Name}': hook environment is not supported; it runs with its service's environment");
        }

        return owner.Name;
    }

    private static ServiceSpec MapService(Signed.ServiceSpec service, IEnumerable<Signed.HookSpec> hooks, List<string> problems)
    {
        if (service.Health is null)
        {
            problems.Add($"service '{service.Name}' needs a health check");
        }

        var health = service.Health is { } h
            ? new HealthCheckSpec(
                h.Type switch
                {
                    Signed.HealthCheckType.Http => HealthCheckKind.Http,
                    Signed.HealthCheckType.Tcp => HealthCheckKind.Tcp,
                    _ => HealthCheckKind.Command,
                },
                h.Path ?? "/health",
                h.Command,
                h.Interval,
                h.Timeout,
                h.Retries,
                h.StartPeriod)
            : new HealthCheckSpec(HealthCheckKind.Tcp);
        var bridge = service.Ports.Count > 0;
        var slotPort = bridge ? service.Health?.Port ?? service.Ports[0].ContainerPort : 0;
        return new ServiceSpec(
            service.Name,
            service.Image,
            health,
            service.Command.Count > 0 ? service.Command : null,
            service.Environment,
            service.UpdateOrder == Signed.UpdateOrder.StopFirst ? UpdateOrder.StopFirst : UpdateOrder.StartFirst,
            [.. hooks.Select(k => new HookSpec(k.Name, k.Command, k.Timeout))],
            bridge ? "bridge" : ServiceSpec.HostNetwork,
            slotPort,
            bridge
                ? [.. service.Ports.Where(p => p.HostPort is not null && p.ContainerPort != slotPort).Select(p => new PortSpec(p.ContainerPort, p.HostPort!.Value, p.Protocol == Signed.PortProtocol.Udp ? "udp" : "tcp"))]
                : null,
            Mounts(service),
            service.Capabilities,
            service.Restart is { } restart
                ? new RestartPolicy(
                    restart.Policy switch
                    {
                        Signed.RestartPolicyType.No => RestartKind.No,
                        Signed.RestartPolicyType.OnFailure => RestartKind.OnFailure,
                        Signed.RestartPolicyType.Always => RestartKind.Always,
                        _ => RestartKind.UnlessStopped,
                    },
                    restart.MaxRetries ?? 0)
                : null,
            service.Resources is { } resources ? new ResourceLimits(resources.MemoryBytes, resources.Cpus) : null);
    }

    // A source that is not an absolute path is a named volume (refused at signing and by the swap engine otherwise).
    private static List<MountSpec> Mounts(Signed.ServiceSpec service) =>
    [
        .. service.Volumes.Select(v => new MountSpec(v.Source.StartsWith('/') ? MountKind.Bind : MountKind.Volume, v.Source, v.Target, v.ReadOnly)),
        .. (service.Tmpfs ?? []).Select(t => new MountSpec(MountKind.Tmpfs, "", t.Target, Options: t.Options)),
    ];
}

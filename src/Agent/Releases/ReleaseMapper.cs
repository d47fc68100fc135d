using Fleet.Agent.Deploy;
using Signed = Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// Maps a verified release manifest onto the swap engine's <see cref="DeployRequest"/>, field by
/// field. A service without ports runs on the host network (the slot's port is passed as PORT);
/// with ports it runs on a bridge network, listening on its health-check port (or its first port),
/// reached through its slot's endpoint; its other ports that name a host port are published on
/// 127.0.0.1. A service without a health check counts as healthy once it ran for the default
/// start period. Hooks run before the first service's swap, with their own image and environment.
/// </summary>
internal static partial class ReleaseMapper
{
    public static DeployRequest Map(Signed.ReleaseManifest manifest, bool runOnceHooks)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var release = manifest.Release;
        // Hooks run, in order, before the first service's swap: before any container is swapped.
        var hooks = release.Hooks
            .Where(h => runOnceHooks || h.Run == Signed.HookRun.EachHost)
            .Select(h => MapHook(h, release))
            .ToList();
        var services = release.Services.Select((s, i) => MapService(s, i == 0 ? hooks : [], release.MinHealthyTime)).ToList();
        return new DeployRequest(release.App, manifest.Sequence, services);
    }

    // A hook that borrows a service's image also gets that service's environment, under its own.
    private static HookSpec MapHook(Signed.HookSpec hook, Signed.ReleaseDefinition release)
    {
        var borrowed = hook.Service is { } named ? release.Services.FirstOrDefault(s => s.Name == named)?.Environment : null;
        var env = new Dictionary<string, string>(borrowed ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in hook.Environment)
        {
            env[key] = value;
        }

        return new HookSpec(hook.Name, hook.Command, hook.Timeout, hook.Image, env);
    }

    private static ServiceSpec MapService(Signed.ServiceSpec service, IReadOnlyList<HookSpec> hooks, TimeSpan minHealthyTime)
    {
        var bridge = service.Ports.Count > 0 || service.Proxy?.Port is not null;
        var health = service.Health is { } h
            ? MapHealth(h)
            : new HealthCheckSpec(HealthCheckKind.Running, StartPeriod: Signed.HealthCheckSpec.DefaultRunningStartPeriod);
        var slotPort = bridge ? service.Proxy?.Port ?? service.Health?.Port ?? service.Ports[0].ContainerPort : 0;
        return new ServiceSpec(
            service.Name,
            service.Image,
            health,
            service.Command.Count > 0 ? service.Command : null,
            service.Environment,
            service.UpdateOrder == Signed.UpdateOrder.StopFirst ? UpdateOrder.StopFirst : UpdateOrder.StartFirst,
            hooks,
            bridge ? "bridge" : ServiceSpec.HostNetwork,
            slotPort,
            bridge
                ? [.. service.Ports.Where(p => p.HostPort is not null && p.ContainerPort != slotPort).Select(p => new PortSpec(p.ContainerPort, p.HostPort!.Value, p.Protocol == Signed.PortProtocol.Udp ? "udp" : "tcp"))]
                : null,
            SecretEnv: service.Secrets?.Where(u => u.Env is not null).ToDictionary(u => u.Env!, u => u.Name),
            EnvFile: service.EnvFile,
            Proxy: ProxyOf(service),
            Mounts: Mounts(service),
            Capabilities: service.Capabilities,
            Restart: service.Restart is { } restart ? MapRestart(restart) : null,
            Resources: service.Resources is { } resources ? new ResourceLimits(resources.MemoryBytes, resources.Cpus) : null,
            Liveness: service.Liveness is { } liveness ? MapHealth(liveness) : null,
            LivenessDelay: minHealthyTime);
    }

    private static RestartPolicy MapRestart(Signed.RestartSpec restart) => new(
        restart.Policy switch
        {
            Signed.RestartPolicyType.No => RestartKind.No,
            Signed.RestartPolicyType.OnFailure => RestartKind.OnFailure,
            Signed.RestartPolicyType.Always => RestartKind.Always,
            _ => RestartKind.UnlessStopped,
        },
        restart.MaxRetries ?? 0);

    // The port is not passed: on a bridge network it is the slot's container port already; on the host
    // network the service listens on its slot's port ($PORT), which is what is probed.
    private static HealthCheckSpec MapHealth(Signed.HealthCheckSpec h) => new(
        h.Type switch
        {
            Signed.HealthCheckType.Http => HealthCheckKind.Http,
            Signed.HealthCheckType.Tcp => HealthCheckKind.Tcp,
            Signed.HealthCheckType.Command => HealthCheckKind.Command,
            _ => HealthCheckKind.Running,
        },
        h.Path ?? "/health",
        h.Command,
        h.Interval,
        h.Timeout,
        h.Retries,
        h.StartPeriod);

    // A source that is not an absolute path is a named volume (refused at signing and by the swap engine otherwise).
    private static List<MountSpec> Mounts(Signed.ServiceSpec service) =>
    [
        .. service.Volumes.Select(v => new MountSpec(v.Source.StartsWith('/') ? MountKind.Bind : MountKind.Volume, v.Source, v.Target, v.ReadOnly)),
        .. (service.Tmpfs ?? []).Select(t => new MountSpec(MountKind.Tmpfs, "", t.Target, Options: t.Options)),
    ];
}

using System.Globalization;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

/// <summary>Names, labels and lifecycle of the containers that hold a service's slots and hooks.</summary>
internal sealed class SlotContainers(IContainerRuntime runtime, IOptions<DeployOptions> options)
{
    public const string AppLabel = "fleet.app";
    public const string ServiceLabel = "fleet.service";
    public const string ReleaseLabel = "fleet.release";
    public const string SlotLabel = "fleet.slot";
    public const string HookLabel = "fleet.hook";
    public const string ScopeLabel = "fleet.scope";
    public const string VolumeLabel = "fleet.volume";

    /// <summary>The container name of a slot; with a scope (Deploy:ContainerScope), fleet-SCOPE-APP-SERVICE-SLOT.</summary>
    public string NameOf(string app, string service, string slot) => $"{Prefix}{app}-{service}-{slot}";

    /// <summary>
    /// The Docker volume behind an app's named volume: fleet-[SCOPE-]APP_NAME. App names have no '_',
    /// so two apps never share a volume by accident.
    /// </summary>
    public string VolumeNameOf(string app, string volume) => $"{Prefix}{app}_{volume}";

    /// <summary>The app's named volumes on this host (created by the agent, labelled fleet.app and fleet.volume).</summary>
    public Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(string app, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { [AppLabel] = app };
        AddScope(labels);
        return runtime.ListVolumesAsync(labels, cancellationToken);
    }

    /// <summary>True when the container is the service container of exactly this release and slot.</summary>
    public static bool Holds(ContainerSummary container, SlotRecord record) =>
        !container.Labels.ContainsKey(HookLabel)
        && container.Labels.GetValueOrDefault(SlotLabel) == record.Slot
        && container.Labels.GetValueOrDefault(ReleaseLabel) == record.Release.ToString(CultureInfo.InvariantCulture);

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(string app, string service, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { [AppLabel] = app, [ServiceLabel] = service };
        AddScope(labels);
        return runtime.ListAsync(labels, cancellationToken);
    }

    /// <summary>Creates (not starts) the slot's container, replacing a leftover container of the same name.</summary>
    public async Task<string> CreateAsync(string app, SlotRecord record, CancellationToken cancellationToken)
    {
        var spec = record.Spec;
        var name = NameOf(app, spec.Name, record.Slot);
        await runtime.RemoveAsync(name, cancellationToken);
        var env = ContainerInputs.Environment(spec, spec.Env ?? new Dictionary<string, string>());
        env["PORT"] = (spec.UsesHostNetwork ? record.Port : spec.ContainerPort).ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<PortSpec> published = spec.UsesHostNetwork
            ? []
            : [new PortSpec(spec.ContainerPort, record.Port), .. spec.PublishedPorts ?? []];
        var labels = Labels(app, spec.Name, record.Release);
        labels[SlotLabel] = record.Slot;
        var mounts = await MountsAsync(app, spec.Mounts ?? [], cancellationToken);
        return await runtime.CreateAsync(
            new ContainerSpec(name, spec.Image, labels, env, spec.Command, spec.Network, published, spec.Restart ?? RestartPolicy.UnlessStopped, [.. mounts, .. ContainerInputs.SecretMounts(spec)], spec.Resources),
            cancellationToken);
    }

    /// <summary>Creates a one-off container for a pre-deploy hook (not started, never restarted).</summary>
    public async Task<string> CreateHookAsync(string app, long release, ServiceSpec spec, int index, CancellationToken cancellationToken)
    {
        var hook = spec.PreDeployHooks![index];
        var name = FormattableString.Invariant($"{Prefix}{app}-{spec.Name}-hook{index}");
        await runtime.RemoveAsync(name, cancellationToken);
        var labels = Labels(app, spec.Name, release);
        labels[HookLabel] = hook.Name;
        return await runtime.CreateAsync(
            new ContainerSpec(
                name, hook.Image ?? spec.Image, labels, HookEnvironment(spec, hook), hook.Command, spec.Network, [], RestartPolicy.Never,
                hook.Image is null ? ContainerInputs.SecretMounts(spec) : null),
            cancellationToken);
    }

    // A hook that borrows the service's image runs as part of the service: the service's env_file and secrets too.
    private static Dictionary<string, string> HookEnvironment(ServiceSpec spec, HookSpec hook)
    {
        var env = hook.Env ?? spec.Env ?? new Dictionary<string, string>();
        return hook.Image is null ? ContainerInputs.Environment(spec, env) : new Dictionary<string, string>(env, StringComparer.Ordinal);
    }

    /// <summary>SIGTERM, the configured grace, then removal.</summary>
    public async Task StopAndRemoveAsync(string id, CancellationToken cancellationToken)
    {
        await runtime.StopAsync(id, options.Value.StopGrace, cancellationToken);
        await runtime.RemoveAsync(id, cancellationToken);
    }

    /// <summary>The last lines of a container's log; a log that cannot be read must not hide the original failure.</summary>
    public async Task<string> LogTailAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.LogTailAsync(id, options.Value.LogTailLines, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"(log unavailable: {ex.Message})";
        }
    }

    // Named volumes become the app's Docker volumes, created on first use and then only ever reused.
    private async Task<List<MountSpec>> MountsAsync(string app, IReadOnlyList<MountSpec> mounts, CancellationToken cancellationToken)
    {
        var result = new List<MountSpec>();
        foreach (var mount in mounts)
        {
            if (mount.Kind != MountKind.Volume)
            {
                result.Add(mount);
                continue;
            }

            var volume = VolumeNameOf(app, mount.Source);
            var labels = new Dictionary<string, string> { [AppLabel] = app, [VolumeLabel] = mount.Source };
            AddScope(labels);
            await runtime.EnsureVolumeAsync(volume, labels, cancellationToken);
            result.Add(mount with { Source = volume });
        }

        return result;
    }

    private string Prefix => options.Value.ContainerScope.Length == 0 ? "fleet-" : $"fleet-{options.Value.ContainerScope}-";

    private void AddScope(Dictionary<string, string> labels)
    {
        if (options.Value.ContainerScope.Length > 0)
        {
            labels[ScopeLabel] = options.Value.ContainerScope;
        }
    }

    private Dictionary<string, string> Labels(string app, string service, long release)
    {
        var labels = new Dictionary<string, string>
        {
            [AppLabel] = app,
            [ServiceLabel] = service,
            [ReleaseLabel] = release.ToString(CultureInfo.InvariantCulture),
        };
        AddScope(labels);
        return labels;
    }
}

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

    /// <summary>The container name of a slot; with a scope (Deploy:ContainerScope), fleet-SCOPE-APP-SERVICE-SLOT.</summary>
    public string NameOf(string app, string service, string slot) => $"{Prefix}{app}-{service}-{slot}";

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
        return await runtime.CreateAsync(
            new ContainerSpec(name, spec.Image, labels, env, spec.Command, spec.Network, published, RestartUnlessStopped: true, ContainerInputs.Binds(spec)),
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
                name, spec.Image, labels, ContainerInputs.Environment(spec, spec.Env ?? new Dictionary<string, string>()), hook.Command, spec.Network, [],
                RestartUnlessStopped: false, ContainerInputs.Binds(spec)),
            cancellationToken);
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

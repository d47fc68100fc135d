using Fleet.Core.Naming;
using ImageReference = Fleet.Core.Releases.ImageReference;
using MountRules = Fleet.Core.Releases.MountRules;

namespace Fleet.Agent.Deploy;

/// <summary>Checks a DeployRequest before anything is touched; returns every problem at once.</summary>
internal static class DeployRequestValidator
{
    /// <summary>Null when the request can run; otherwise every problem. <paramref name="stateDirectory"/> is never mountable.</summary>
    public static string? Validate(DeployRequest request, string stateDirectory)
    {
        var problems = new List<string>();
        if (!NameRules.Name().IsMatch(request.App))
        {
            problems.Add($"app name '{request.App}' must match {NameRules.Name()}");
        }

        if (request.Release <= 0)
        {
            problems.Add("release sequence must be positive");
        }

        if (request.Services.Count == 0)
        {
            problems.Add("a release needs at least one service");
        }

        foreach (var duplicate in request.Services.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"service '{duplicate.Key}' is listed twice");
        }

        foreach (var service in request.Services)
        {
            problems.AddRange(ValidateService(service).Concat(ValidateMounts(service, stateDirectory)).Select(p => $"service '{service.Name}': {p}"));
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    public static ImageReference ImageOf(ServiceSpec spec) => ImageOf(spec.Image);

    public static ImageReference ImageOf(string pinned) =>
        ImageReference.TryParse(pinned, out var image, out _) && image.IsPinned
            ? image
            : throw new ArgumentException($"image '{pinned}' is not pinned by digest", nameof(pinned));

    private static IEnumerable<string> ValidateService(ServiceSpec service)
    {
        if (!NameRules.Name().IsMatch(service.Name))
        {
            yield return $"name must match {NameRules.Name()}";
        }

        if (!ImageReference.TryParse(service.Image, out var image, out _) || !image.IsPinned)
        {
            yield return $"image '{service.Image}' must be pinned by digest (repository@sha256:<64 hex>)";
        }

        if (service.Health.Retries < 1 || service.Health.EffectiveInterval <= TimeSpan.Zero || service.Health.EffectiveTimeout <= TimeSpan.Zero)
        {
            yield return "health check needs retries ≥ 1 and a positive interval and timeout";
        }

        if (service.Health.Kind == HealthCheckKind.Command && (service.Health.Command?.Count ?? 0) == 0)
        {
            yield return "a command health check needs a command";
        }

        if (!service.UsesHostNetwork && service.ContainerPort is < 1 or > 65535)
        {
            yield return "a bridge-network service needs the container port it listens on";
        }

        if (service.Env?.ContainsKey("PORT") == true)
        {
            yield return "PORT is set by the agent and cannot be overridden";
        }

        foreach (var hook in service.PreDeployHooks ?? [])
        {
            if (hook.Command.Count == 0 || hook.Timeout <= TimeSpan.Zero)
            {
                yield return $"hook '{hook.Name}' needs a command and a positive timeout";
            }

            if (hook.Image is { } hookImage && (!ImageReference.TryParse(hookImage, out var parsed, out _) || !parsed.IsPinned))
            {
                yield return $"hook '{hook.Name}': image '{hookImage}' must be pinned by digest (repository@sha256:<64 hex>)";
            }
        }
    }

    // The same rules as at signing, against this agent's own state folder.
    private static IEnumerable<string> ValidateMounts(ServiceSpec service, string stateDirectory)
    {
        foreach (var mount in service.Mounts ?? [])
        {
            var refusal = mount.Kind switch
            {
                MountKind.Volume when !MountRules.IsVolumeName(mount.Source) => $"'{mount.Source}' is not a volume name",
                MountKind.Bind when !mount.Source.StartsWith('/') => $"'{mount.Source}' is not an absolute host path",
                MountKind.Bind => MountRules.Refusal(mount.Source, service.Capabilities, stateDirectory),
                _ => null,
            };
            if (refusal is not null)
            {
                yield return $"volume {mount.Source}:{mount.Target} refused: {refusal}";
            }

            if (!mount.Target.StartsWith('/') || mount.Target.Trim('/').Length == 0 || mount.Target.Split('/').Contains(".."))
            {
                yield return $"mount target '{mount.Target}' must be an absolute path inside the container, not '/', without '..'";
            }
        }
    }
}

using Fleet.Core.Naming;
using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Deploy;

/// <summary>Checks a DeployRequest before anything is touched; returns every problem at once.</summary>
internal static class DeployRequestValidator
{
    public static string? Validate(DeployRequest request)
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
            problems.AddRange(ValidateService(service).Select(p => $"service '{service.Name}': {p}"));
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    public static ImageReference ImageOf(ServiceSpec spec) =>
        ImageReference.TryParse(spec.Image, out var image, out _) && image.IsPinned
            ? image
            : throw new ArgumentException($"image '{spec.Image}' is not pinned by digest", nameof(spec));

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
        }
    }
}

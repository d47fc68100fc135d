using System.Net;
using System.Text.RegularExpressions;
using Fleet.Core.Naming;

namespace Fleet.Core.Releases;

/// <summary>
/// Semantic rules shared by <c>fleet.yaml</c> and signed manifests; returns every problem at once
/// (as YARP's ConfigValidator does), each with the path of the offending field.
/// </summary>
public static partial class ReleaseValidator
{
    /// <summary>
    /// Highest sequence a manifest may carry: 2^53 - 1, exact in every JSON reader, and so far
    /// below <see cref="long.MaxValue"/> that the next sequence is always representable.
    /// </summary>
    public const long MaxSequence = (1L << 53) - 1;

    public static IReadOnlyList<ValidationError> ValidateManifest(ReleaseManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var errors = new List<ValidationError>();
        Check(errors, "environment", NameRules.Name().IsMatch(manifest.Environment), "must be 1-63 lowercase letters, digits or '-'");
        Check(errors, "sequence", manifest.Sequence is >= 1 and <= MaxSequence, "must be between 1 and 2^53 - 1 (9007199254740991)");
        Check(errors, "expires_at", manifest.ExpiresAt > manifest.CreatedAt, "must be after created_at");
        errors.AddRange(ValidateDefinition(manifest.Release).Select(e => e with { Path = "release." + e.Path }));
        ValidatePinnedSecrets(errors, manifest.Release);
        return errors;
    }

    public static IReadOnlyList<ValidationError> ValidateDefinition(ReleaseDefinition release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var errors = new List<ValidationError>();
        Check(errors, "app", NameRules.Name().IsMatch(release.App), "must be 1-63 lowercase letters, digits or '-', starting with a letter or digit");
        foreach (var (key, value) in release.TargetLabels)
        {
            Check(errors, $"target_labels.{key}", NameRules.DottedName().IsMatch(key), "label names are 1-63 of a-z 0-9 . -, as agent labels are");
            Check(errors, $"target_labels.{key}", value.Length is > 0 and <= 63, "label values are 1-63 characters");
        }

        Check(errors, "services", release.Services.Count > 0, "at least one service is required");
        foreach (var service in release.Services)
        {
            ValidateService(errors, service);
        }

        CheckUnique(errors, "services", release.Services.Select(s => s.Name));
        foreach (var hook in release.Hooks)
        {
            var path = $"hooks.pre_deploy.{hook.Name}";
            Check(errors, path, NameRules.Name().IsMatch(hook.Name), "hook names are 1-63 lowercase letters, digits or '-'");
            CheckImage(errors, path + ".image", hook.Image);
            Check(errors, path + ".command", hook.Command.Count > 0, "a hook needs a command");
            CheckEnvironment(errors, path + ".environment", hook.Environment);
            CheckRange(errors, path + ".timeout", hook.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
            CheckDefined(errors, path + ".run", hook.Run);
            CheckDefined(errors, path + ".phase", hook.Phase);
        }

        CheckUnique(errors, "hooks.pre_deploy", release.Hooks.Select(h => h.Name));
        ValidateStrategy(errors, release.Strategy);
        ValidateBackups(errors, release.Backups);
        CheckRange(errors, "healthy_deadline", release.HealthyDeadline, TimeSpan.FromSeconds(10), TimeSpan.FromHours(2));
        CheckRange(errors, "min_healthy_time", release.MinHealthyTime, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(errors, "min_healthy_time", release.MinHealthyTime < release.HealthyDeadline, "must be shorter than healthy_deadline");
        ValidateCertificates(errors, release);
        ValidateSecrets(errors, release);
        ValidateProxies(errors, release);
        return errors;
    }

    private static void ValidateService(List<ValidationError> errors, ServiceSpec service)
    {
        var path = $"services.{service.Name}";
        Check(errors, path, NameRules.Name().IsMatch(service.Name), "service names are 1-63 lowercase letters, digits or '-'");
        CheckImage(errors, path + ".image", service.Image);
        CheckEnvironment(errors, path + ".environment", service.Environment);
        CheckDefined(errors, path + ".update_order", service.UpdateOrder);
        for (var i = 0; i < service.Ports.Count; i++)
        {
            var port = service.Ports[i];
            CheckDefined(errors, $"{path}.ports[{i}].protocol", port.Protocol);
            CheckPort(errors, $"{path}.ports[{i}]", port.ContainerPort);
            if (port.HostPort is { } hostPort)
            {
                CheckPort(errors, $"{path}.ports[{i}]", hostPort);
            }

            Check(errors, $"{path}.ports[{i}]", port.HostIp is null || IPAddress.TryParse(port.HostIp, out _), $"'{port.HostIp}' is not an IP address");
            Check(errors, $"{path}.ports[{i}]", port.HostIp is null || port.HostPort is not null, "a host IP needs a host port");
        }

        ValidateMounts(errors, path, service);
        ValidateLimits(errors, path, service);

        if (service.Health is { } health)
        {
            ValidateHealth(errors, path + ".health", health);
        }

        if (service.Liveness is { } liveness)
        {
            ValidateHealth(errors, path + ".liveness", liveness);
        }
    }

    private static void ValidateHealth(List<ValidationError> errors, string path, HealthCheckSpec health)
    {
        CheckDefined(errors, path + ".type", health.Type);
        switch (health.Type)
        {
            case HealthCheckType.Http:
                Check(errors, path + ".path", health.Path is { } p && p.StartsWith('/'), "an http check needs a path starting with '/'");
                Check(errors, path + ".port", health.Port is not null, "an http check needs a port");
                break;
            case HealthCheckType.Tcp:
                Check(errors, path + ".port", health.Port is not null, "a tcp check needs a port");
                break;
            case HealthCheckType.Command:
                Check(errors, path + ".command", health.Command.Count > 0, "a command check needs a command");
                break;
            case HealthCheckType.Running:
                Check(errors, path, health.Path is null && health.Port is null && health.Command.Count == 0,
                    "a running check (no type) probes nothing: set type http, tcp or command to use path, port or command");
                break;
        }

        if (health.Port is { } port)
        {
            CheckPort(errors, path + ".port", port);
        }

        CheckRange(errors, path + ".interval", health.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckRange(errors, path + ".timeout", health.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Check(errors, path + ".timeout", health.Timeout <= health.Interval, "must not be longer than the interval");
        Check(errors, path + ".retries", health.Retries is >= 1 and <= 100, $"must be between 1 and 100, got {health.Retries}");
        CheckRange(errors, path + ".start_period", health.StartPeriod, TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    private static void ValidateStrategy(List<ValidationError> errors, StrategySpec strategy)
    {
        CheckDefined(errors, "strategy.type", strategy.Type);
        var rolling = strategy.Type == RolloutStrategyType.Rolling;
        var canary = strategy.Type == RolloutStrategyType.Canary;
        Check(errors, "strategy.max_parallel", !rolling || strategy.MaxParallel is not null, "a rolling strategy needs max_parallel");
        Check(errors, "strategy.max_parallel", strategy.MaxParallel is null || rolling || canary, "only rolling and canary strategies take max_parallel");
        Check(errors, "strategy.max_parallel", strategy.MaxParallel is null or >= 1, "must be at least 1");
        Check(errors, "strategy.count", !canary || strategy.Count is not null, "a canary strategy needs count");
        Check(errors, "strategy.count", strategy.Count is null || canary, "only a canary strategy takes count");
        Check(errors, "strategy.count", strategy.Count is null or >= 1, "must be at least 1");
        Check(errors, "strategy.auto_promote", !strategy.AutoPromote || canary, "only a canary strategy takes auto_promote");
        Check(errors, "strategy.max_unavailable", strategy.MaxUnavailable is null or >= 0, "must be at least 0");
        Check(errors, "strategy.max_unavailable", strategy.MaxUnavailable is null || !strategy.RequireAll, "require_all already allows no unavailable host; give one of the two");
    }

    private static void CheckImage(List<ValidationError> errors, string path, string image) =>
        Check(errors, path, ImageReference.TryParse(image, out _, out var error), error);

    private static void CheckEnvironment(List<ValidationError> errors, string path, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var key in environment.Keys)
        {
            Check(errors, $"{path}.{key}", EnvironmentKey().IsMatch(key), "variable names are letters, digits and '_', not starting with a digit");
        }
    }

    // A number cast to an enum is not refused by the compiler or by System.Text.Json's defaults.
    private static void CheckDefined<TEnum>(List<ValidationError> errors, string path, TEnum value)
        where TEnum : struct, Enum =>
        Check(errors, path, Enum.IsDefined(value), $"'{value}' is not a {typeof(TEnum).Name} value");

    private static void CheckPort(List<ValidationError> errors, string path, int port) =>
        Check(errors, path, port is >= 1 and <= 65535, $"port {port} is outside 1-65535");

    private static void CheckRange(List<ValidationError> errors, string path, TimeSpan value, TimeSpan min, TimeSpan max) =>
        Check(errors, path, value >= min && value <= max, $"must be between {Duration.Format(min)} and {Duration.Format(max)}, got {Duration.Format(value)}");

    private static void CheckUnique(List<ValidationError> errors, string path, IEnumerable<string> names)
    {
        foreach (var name in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add(new ValidationError($"{path}.{name}", "the name is used more than once"));
        }
    }

    private static void Check(List<ValidationError> errors, string path, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(new ValidationError(path, message));
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex EnvironmentKey();
}

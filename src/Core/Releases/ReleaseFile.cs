using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>
/// Reads a release file (<c>fleet.yaml</c>, documented in docs/fleet-yaml.md) into a
/// <see cref="ReleaseDefinition"/> with defaults applied. Every problem is reported at once,
/// each with its path (<c>services.web.health.interval</c>), in a <see cref="ReleaseValidationException"/>.
/// </summary>
public static partial class ReleaseFile
{
    /// <summary>Largest release file read, in bytes.</summary>
    public const int MaxBytes = 256 * 1024;

    private static readonly Dictionary<string, UpdateOrder> UpdateOrders = new(StringComparer.Ordinal)
    {
        ["start-first"] = UpdateOrder.StartFirst,
        ["stop-first"] = UpdateOrder.StopFirst,
    };

    private static readonly Dictionary<string, HealthCheckType> HealthTypes = new(StringComparer.Ordinal)
    {
        ["http"] = HealthCheckType.Http,
        ["tcp"] = HealthCheckType.Tcp,
        ["command"] = HealthCheckType.Command,
        ["running"] = HealthCheckType.Running,
    };

    private static readonly Dictionary<string, HookRun> HookRuns = new(StringComparer.Ordinal)
    {
        ["once"] = HookRun.Once,
        ["each-host"] = HookRun.EachHost,
    };

    private static readonly Dictionary<string, RolloutStrategyType> StrategyTypes = new(StringComparer.Ordinal)
    {
        ["all"] = RolloutStrategyType.All,
        ["rolling"] = RolloutStrategyType.Rolling,
        ["canary"] = RolloutStrategyType.Canary,
    };

    public static ReleaseDefinition Load(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxBytes)
        {
            throw new ReleaseValidationException([new ValidationError("$", $"{path} is {info.Length} bytes; the limit is {MaxBytes}")]);
        }

        return Parse(File.ReadAllText(path));
    }

    public static ReleaseDefinition Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ReleaseValidationException([new ValidationError(
                $"line {ex.Start.Line}, column {ex.Start.Column}", $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}")]);
        }

        if (stream.Documents.Count != 1)
        {
            throw new ReleaseValidationException([new ValidationError("$", "the file must hold exactly one YAML document")]);
        }

        var reader = new YamlFieldReader();
        var root = reader.Mapping(stream.Documents[0].RootNode, "",
            "app", "target_labels", "services", "hooks", "strategy", "healthy_deadline", "min_healthy_time", "certificates", "backups");
        var services = ReadServices(reader, YamlFieldReader.Child(root, "services"));
        var defaults = new ReleaseDefinition { App = "", Services = [] };
        var release = new ReleaseDefinition
        {
            App = reader.String(root, "", "app", required: true) ?? "",
            TargetLabels = reader.StringMap(root, "", "target_labels"),
            Services = services,
            Hooks = ReadHooks(reader, YamlFieldReader.Child(root, "hooks"), services),
            Strategy = ReadStrategy(reader, YamlFieldReader.Child(root, "strategy")),
            HealthyDeadline = reader.Duration(root, "", "healthy_deadline") ?? defaults.HealthyDeadline,
            MinHealthyTime = reader.Duration(root, "", "min_healthy_time") ?? defaults.MinHealthyTime,
            Certificates = ReadCertificates(reader, YamlFieldReader.Child(root, "certificates")),
            Backups = ReadBackups(reader, YamlFieldReader.Child(root, "backups")),
        };

        // A field that already failed to read would also fail the semantic rules; report it once.
        var errors = reader.Errors
            .Concat(ReleaseValidator.ValidateDefinition(release).Where(e => !reader.IsExplained(e.Path)))
            .ToList();
        return errors.Count == 0 ? release : throw new ReleaseValidationException(errors);
    }

    private static List<ServiceSpec> ReadServices(YamlFieldReader reader, YamlNode? node)
    {
        if (node is null)
        {
            reader.Error("services", "is required");
            return [];
        }

        if (node is not YamlMappingNode services)
        {
            reader.Error("services", "must be a mapping of service names to services");
            return [];
        }

        var result = new List<ServiceSpec>();
        foreach (var (key, value) in services.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var path = $"services.{name}";
            var map = reader.Mapping(value, path, "image", "command", "environment", "ports", "volumes", "tmpfs", "capabilities", "resources", "restart", "health", "liveness", "update_order", "secrets", "env_file", "proxy");
            result.Add(new ServiceSpec
            {
                Name = name,
                Image = reader.String(map, path, "image", required: true) ?? "",
                Command = reader.StringList(map, path, "command"),
                Environment = reader.StringMap(map, path, "environment"),
                Ports = [.. reader.StringList(map, path, "ports").Select((p, i) => ReadPort(reader, $"{path}.ports[{i}]", p)).OfType<PortMapping>()],
                Volumes = [.. reader.StringList(map, path, "volumes").Select((v, i) => ReadVolume(reader, $"{path}.volumes[{i}]", v)).OfType<VolumeMount>()],
                Tmpfs = ReadTmpfs(reader, map, path),
                Capabilities = NullWhenEmpty(reader.StringList(map, path, "capabilities")),
                Resources = ReadResources(reader, map, path),
                Restart = ReadRestart(reader, map, path),
                Health = ReadHealth(reader, YamlFieldReader.Child(map, "health"), path + ".health"),
                Liveness = ReadHealth(reader, YamlFieldReader.Child(map, "liveness"), path + ".liveness"),
                UpdateOrder = reader.Choice(map, path, "update_order", UpdateOrders) ?? UpdateOrder.StartFirst,
                Secrets = ReadSecretUses(reader, YamlFieldReader.Child(map, "secrets"), path + ".secrets"),
                EnvFile = reader.String(map, path, "env_file"),
                Proxy = ReadProxy(reader, YamlFieldReader.Child(map, "proxy"), path + ".proxy"),
            });
        }

        return result;
    }

    private static HealthCheckSpec? ReadHealth(YamlFieldReader reader, YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var map = reader.Mapping(node, path, "type", "path", "port", "command", "interval", "timeout", "retries", "start_period");
        var defaults = new HealthCheckSpec { Type = HealthCheckType.Http };
        var type = reader.Choice(map, path, "type", HealthTypes) ?? HealthCheckType.Running;
        return new HealthCheckSpec
        {
            Type = type,
            Path = reader.String(map, path, "path"),
            Port = reader.Int(map, path, "port"),
            Command = reader.StringList(map, path, "command"),
            Interval = reader.Duration(map, path, "interval") ?? defaults.Interval,
            Timeout = reader.Duration(map, path, "timeout") ?? defaults.Timeout,
            Retries = reader.Int(map, path, "retries") ?? defaults.Retries,
            StartPeriod = reader.Duration(map, path, "start_period")
                ?? (type == HealthCheckType.Running ? HealthCheckSpec.DefaultRunningStartPeriod : defaults.StartPeriod),
        };
    }

    private static List<HookSpec> ReadHooks(YamlFieldReader reader, YamlNode? node, List<ServiceSpec> services)
    {
        if (node is null)
        {
            return [];
        }

        var hooks = reader.Mapping(node, "hooks", "pre_deploy");
        var list = YamlFieldReader.Child(hooks, "pre_deploy");
        if (list is null)
        {
            return [];
        }

        if (list is not YamlSequenceNode sequence)
        {
            reader.Error("hooks.pre_deploy", "must be a list of hooks");
            return [];
        }

        var result = new List<HookSpec>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var indexPath = $"hooks.pre_deploy[{i}]";
            var map = reader.Mapping(sequence.Children[i], indexPath, "name", "service", "image", "command", "environment", "run", "timeout");
            var name = reader.String(map, indexPath, "name", required: true) ?? "";
            var path = name.Length > 0 ? $"hooks.pre_deploy.{name}" : indexPath;
            var service = reader.String(map, path, "service");
            var image = reader.String(map, path, "image");
            if ((service is null) == (image is null))
            {
                reader.Error(path, "set exactly one of 'service' (use that service's image) or 'image'");
            }
            else if (service is not null && services.All(s => s.Name != service))
            {
                reader.Error(path + ".service", $"no service named '{service}'");
                reader.Covered.Add(path + ".image");
            }

            result.Add(new HookSpec
            {
                Name = name,
                Service = service,
                Image = image ?? services.FirstOrDefault(s => s.Name == service)?.Image ?? "",
                Command = reader.StringList(map, path, "command"),
                Environment = reader.StringMap(map, path, "environment"),
                Run = reader.Choice(map, path, "run", HookRuns) ?? HookRun.Once,
                Timeout = reader.Duration(map, path, "timeout") ?? TimeSpan.FromMinutes(5),
            });
        }

        return result;
    }

    private static StrategySpec ReadStrategy(YamlFieldReader reader, YamlNode? node)
    {
        if (node is null)
        {
            return new StrategySpec();
        }

        var map = reader.Mapping(node, "strategy", "type", "max_parallel", "count", "auto_promote", "require_all", "max_unavailable");
        return new StrategySpec
        {
            Type = reader.Choice(map, "strategy", "type", StrategyTypes) ?? RolloutStrategyType.All,
            MaxParallel = reader.Int(map, "strategy", "max_parallel"),
            Count = reader.Int(map, "strategy", "count"),
            AutoPromote = reader.Bool(map, "strategy", "auto_promote") ?? false,
            RequireAll = reader.Bool(map, "strategy", "require_all") ?? false,
            MaxUnavailable = reader.Int(map, "strategy", "max_unavailable"),
        };
    }

    private static T RequiredChoice<T>(YamlFieldReader reader, YamlMappingNode? map, string path, string key, T placeholder)
    {
        if (map is not null && YamlFieldReader.Child(map, key) is null)
        {
            // Without its type nothing else in the block can be judged.
            reader.Error(YamlFieldReader.Join(path, key), "is required");
            reader.Covered.Add(path);
        }

        return placeholder;
    }

    private static PortMapping? ReadPort(YamlFieldReader reader, string path, string text)
    {
        var match = PortPattern().Match(text);
        if (!match.Success)
        {
            reader.Error(path, $"'{text}' is not a port like 8080, 8080:80, 127.0.0.1:8080:80 or 53:53/udp");
            return null;
        }

        return new PortMapping
        {
            HostIp = match.Groups["ip"].Success ? match.Groups["ip"].Value.Trim('[', ']') : null,
            HostPort = match.Groups["host"].Success ? int.Parse(match.Groups["host"].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            ContainerPort = int.Parse(match.Groups["container"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Protocol = match.Groups["proto"].Value == "udp" ? PortProtocol.Udp : PortProtocol.Tcp,
        };
    }

    private static VolumeMount? ReadVolume(YamlFieldReader reader, string path, string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0 || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
        {
            reader.Error(path, $"'{text}' is not a volume like /srv/data:/data, data:/data or /etc/app:/etc/app:ro");
            return null;
        }

        return new VolumeMount { Source = parts[0], Target = parts[1], ReadOnly = parts.Length == 3 && parts[2] == "ro" };
    }

    [GeneratedRegex(@"^(?:(?:(?<ip>\[[0-9a-fA-F:]+\]|[0-9.]+):)?(?<host>[0-9]{1,5}):)?(?<container>[0-9]{1,5})(?:/(?<proto>tcp|udp))?\z")]
    private static partial Regex PortPattern();
}

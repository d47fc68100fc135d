using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>A service's <c>resources:</c> and <c>restart:</c>.</summary>
public static partial class ReleaseFile
{
    private static readonly Dictionary<string, RestartPolicyType> RestartPolicies = new(StringComparer.Ordinal)
    {
        ["no"] = RestartPolicyType.No,
        ["on-failure"] = RestartPolicyType.OnFailure,
        ["always"] = RestartPolicyType.Always,
        ["unless-stopped"] = RestartPolicyType.UnlessStopped,
    };

    private static ResourcesSpec? ReadResources(YamlFieldReader reader, YamlMappingNode? service, string servicePath)
    {
        var node = YamlFieldReader.Child(service, "resources");
        if (node is null)
        {
            return null;
        }

        var path = servicePath + ".resources";
        var map = reader.Mapping(node, path, "memory", "cpus");
        return new ResourcesSpec { MemoryBytes = ReadMemory(reader, map, path), Cpus = ReadCpus(reader, map, path) };
    }

    private static long? ReadMemory(YamlFieldReader reader, YamlMappingNode? map, string path)
    {
        var text = reader.String(map, path, "memory");
        if (text is null)
        {
            return null;
        }

        var match = MemoryPattern().Match(text);
        if (!match.Success)
        {
            reader.Error(path + ".memory", $"'{text}' is not a size like 512m, 2g or 262144k");
            return null;
        }

        var unit = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "K" => 1L << 10,
            "M" => 1L << 20,
            "G" => 1L << 30,
            _ => 1L,
        };
        return long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) * unit;
    }

    private static decimal? ReadCpus(YamlFieldReader reader, YamlMappingNode? map, string path)
    {
        var text = reader.String(map, path, "cpus");
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus))
        {
            return cpus;
        }

        reader.Error(path + ".cpus", $"'{text}' is not a number of cores like 0.5 or 2");
        return null;
    }

    // "no", "always", "unless-stopped", "on-failure" or "on-failure:5".
    private static RestartSpec? ReadRestart(YamlFieldReader reader, YamlMappingNode? service, string servicePath)
    {
        var text = reader.String(service, servicePath, "restart");
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(':', 2);
        if (!RestartPolicies.TryGetValue(parts[0], out var policy)
            || (parts.Length == 2 && (policy != RestartPolicyType.OnFailure || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))))
        {
            reader.Error(servicePath + ".restart", $"must be no, on-failure, on-failure:N, always or unless-stopped, got '{text}'");
            return null;
        }

        return new RestartSpec { Policy = policy, MaxRetries = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null };
    }

    [GeneratedRegex(@"^(?<n>[0-9]{1,12})(?<unit>[kKmMgG]?)[bB]?\z")]
    private static partial Regex MemoryPattern();
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>
/// Reads typed fields from a YAML representation model and records every problem (wrong type,
/// missing field, unknown key) with its path instead of stopping at the first.
/// </summary>
internal sealed class YamlFieldReader
{
    public List<ValidationError> Errors { get; } = [];

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>Paths whose problems are already explained by an error elsewhere.</summary>
    public HashSet<string> Covered { get; } = new(StringComparer.Ordinal);

    public void Error(string path, string message) => Errors.Add(new ValidationError(path, message));

    /// <summary>True when an error was reported at <paramref name="path"/> or above it, or the path was covered.</summary>
    public bool IsExplained(string path) =>
        Errors.Select(e => e.Path).Concat(Covered)
            .Any(p => path == p || path.StartsWith(p + ".", StringComparison.Ordinal) || path.StartsWith(p + "[", StringComparison.Ordinal));

    /// <summary>The node as a mapping whose keys are all in <paramref name="allowed"/>; null (and an error) otherwise.</summary>
    public YamlMappingNode? Mapping(YamlNode? node, string path, params string[] allowed)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(path.Length == 0 ? "$" : path, "must be a mapping");
            return null;
        }

        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(Join(path, name), $"unknown field; expected one of: {string.Join(", ", allowed)}");
            }
        }

        return mapping;
    }

    public static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && !IsNull(node) ? node : null;

    public string? String(YamlMappingNode? mapping, string path, string key, bool required = false)
    {
        var node = Child(mapping, key);
        if (node is null)
        {
            if (required && mapping is not null)
            {
                Error(Join(path, key), "is required");
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Error(Join(path, key), "must be a string");
        return null;
    }

    public int? Int(YamlMappingNode? mapping, string path, string key)
    {
        var text = String(mapping, path, key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(Join(path, key), $"must be a whole number, got '{text}'");
        return null;
    }

    public bool? Bool(YamlMappingNode? mapping, string path, string key)
    {
        var text = String(mapping, path, key);
        switch (text)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                Error(Join(path, key), $"must be true or false, got '{text}'");
                return null;
        }
    }

    public TimeSpan? Duration(YamlMappingNode? mapping, string path, string key)
    {
        var text = String(mapping, path, key);
        if (text is null)
        {
            return null;
        }

        if (Releases.Duration.TryParse(text, out var value))
        {
            return value;
        }

        Error(Join(path, key), $"must be a duration like 500ms, 30s, 5m or 1h30m, got '{text}'");
        return null;
    }

    /// <summary>A value out of a fixed set of names, as written in the documentation.</summary>
    public T? Choice<T>(YamlMappingNode? mapping, string path, string key, IReadOnlyDictionary<string, T> choices)
        where T : struct, Enum
    {
        var text = String(mapping, path, key);
        if (text is null)
        {
            return null;
        }

        if (choices.TryGetValue(text, out var value))
        {
            return value;
        }

        Error(Join(path, key), $"must be one of {string.Join(", ", choices.Keys)}, got '{text}'");
        return null;
    }

    public List<string> StringList(YamlMappingNode? mapping, string path, string key)
    {
        var node = Child(mapping, key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(Join(path, key), "must be a list of strings");
            return [];
        }

        var result = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlScalarNode { Value: { } value })
            {
                result.Add(value);
            }
            else
            {
                Error($"{Join(path, key)}[{i}]", "must be a string");
            }
        }

        return result;
    }

    public SortedDictionary<string, string> StringMap(YamlMappingNode? mapping, string path, string key)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var node = Child(mapping, key);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            Error(Join(path, key), "must be a mapping of names to strings");
            return result;
        }

        foreach (var (name, value) in map.Children)
        {
            var entryPath = Join(Join(path, key), (name as YamlScalarNode)?.Value ?? "?");
            if (name is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
            {
                result[k] = v;
            }
            else
            {
                Error(entryPath, "must be a string");
            }
        }

        return result;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}

using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>A service's <c>tmpfs:</c> and <c>capabilities:</c>.</summary>
public static partial class ReleaseFile
{
    // "/run/cache" or "/run/cache:size=64m,mode=1777".
    private static List<TmpfsMount>? ReadTmpfs(YamlFieldReader reader, YamlMappingNode? service, string path) =>
        NullWhenEmpty(reader.StringList(service, path, "tmpfs")
            .Select(text => text.Split(':', 2))
            .Select(parts => new TmpfsMount { Target = parts[0], Options = parts.Length == 2 ? parts[1] : null })
            .ToList());

    private static List<T>? NullWhenEmpty<T>(List<T> list) => list.Count == 0 ? null : list;
}

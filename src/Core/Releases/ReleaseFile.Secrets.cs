using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>A service's <c>secrets:</c> list: <c>- NAME</c> (a file only) or <c>- { name: NAME, env: VAR }</c>.</summary>
public static partial class ReleaseFile
{
    private static List<SecretUse>? ReadSecretUses(YamlFieldReader reader, YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            reader.Error(path, "must be a list of secret names or { name, env } mappings");
            return [];
        }

        var result = new List<SecretUse>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            if (item is YamlScalarNode { Value: { } plain })
            {
                result.Add(new SecretUse { Name = plain });
                continue;
            }

            var itemPath = $"{path}[{i}]";
            var map = reader.Mapping(item, itemPath, "name", "env");
            result.Add(new SecretUse
            {
                Name = reader.String(map, itemPath, "name", required: true) ?? "",
                Env = reader.String(map, itemPath, "env"),
            });
        }

        return result;
    }
}

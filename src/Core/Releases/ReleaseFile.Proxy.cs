using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Core.Proxy;
using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>Reads a service's <c>proxy:</c> block.</summary>
public static partial class ReleaseFile
{
    private static ProxySpec? ReadProxy(YamlFieldReader reader, YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var map = reader.Mapping(node, path, "hosts", "path_prefix", "port", "tls", "drain_timeout", "listen");
        var defaults = new ProxySpec();
        return new ProxySpec
        {
            Hosts = reader.StringList(map, path, "hosts"),
            PathPrefix = reader.String(map, path, "path_prefix"),
            Port = reader.Int(map, path, "port"),
            Tls = reader.Bool(map, path, "tls") ?? false,
            DrainTimeout = reader.Duration(map, path, "drain_timeout") ?? defaults.DrainTimeout,
            Listen = [.. reader.StringList(map, path, "listen").Select((l, i) => ReadListener(reader, $"{path}.listen[{i}]", l)).OfType<ProxyListener>()],
        };
    }

    private static ProxyListener? ReadListener(YamlFieldReader reader, string path, string text)
    {
        var match = ListenerPattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            reader.Error(path, $"'{text}' is not a listener like 8080, 127.0.0.1:8080 or [::1]:8080");
            return null;
        }

        return match.Groups["ip"].Success
            ? new ProxyListener { HostIp = match.Groups["ip"].Value.Trim('[', ']'), Port = port }
            : new ProxyListener { Port = port };
    }

    [GeneratedRegex(@"^(?:(?<ip>\[[0-9a-fA-F:]+\]|[0-9.]+):)?(?<port>[0-9]{1,5})\z")]
    private static partial Regex ListenerPattern();
}

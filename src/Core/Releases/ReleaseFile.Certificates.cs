using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>The <c>certificates:</c> section of fleet.yaml (docs/fleet-yaml.md, "Certificates").</summary>
public static partial class ReleaseFile
{
    private static readonly Dictionary<string, CertificateChallengeType> ChallengeTypes = new(StringComparer.Ordinal)
    {
        ["http-01"] = CertificateChallengeType.Http01,
        ["dns-01"] = CertificateChallengeType.Dns01,
    };

    private static readonly Dictionary<string, CertificateKeyKind> KeyTypes = new(StringComparer.Ordinal)
    {
        ["ecdsa-p256"] = CertificateKeyKind.EcdsaP256,
        ["rsa-2048"] = CertificateKeyKind.Rsa2048,
    };

    /// <summary>Null when the file has no certificates, so releases without them sign the same bytes as before the section existed.</summary>
    private static List<CertificateSpec>? ReadCertificates(YamlFieldReader reader, YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            reader.Error("certificates", "must be a list of certificates");
            return null;
        }

        var result = new List<CertificateSpec>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var indexPath = $"certificates[{i}]";
            var map = reader.Mapping(sequence.Children[i], indexPath, "name", "domains", "key_type", "challenge", "reload");
            var name = reader.String(map, indexPath, "name", required: true) ?? "";
            var path = name.Length > 0 ? $"certificates.{name}" : indexPath;
            result.Add(new CertificateSpec
            {
                Name = name,
                Domains = reader.StringList(map, path, "domains"),
                KeyType = reader.Choice(map, path, "key_type", KeyTypes) ?? CertificateKeyKind.EcdsaP256,
                Challenge = ReadChallenge(reader, YamlFieldReader.Child(map, "challenge"), path + ".challenge", map is not null),
                Reload = ReadReload(reader, YamlFieldReader.Child(map, "reload"), path + ".reload"),
            });
        }

        return result;
    }

    private static CertificateChallengeSpec ReadChallenge(YamlFieldReader reader, YamlNode? node, string path, bool parentRead)
    {
        if (node is null)
        {
            if (parentRead)
            {
                reader.Error(path, "is required: type http-01 or dns-01");
            }

            return new CertificateChallengeSpec { Type = CertificateChallengeType.Http01 };
        }

        var map = reader.Mapping(node, path, "type", "server", "zone", "tsig_key_name", "tsig_secret_file", "tsig_secret");
        if (YamlFieldReader.Child(map, "tsig_secret") is not null)
        {
            reader.Error(path + ".tsig_secret", "secrets never go in a release: put the TSIG secret in a file (mode 0600) on each host and name that file in tsig_secret_file");
        }

        return new CertificateChallengeSpec
        {
            Type = reader.Choice(map, path, "type", ChallengeTypes) ?? RequiredChoice(reader, map, path, "type", CertificateChallengeType.Http01),
            Server = reader.String(map, path, "server"),
            Zone = reader.String(map, path, "zone"),
            TsigKeyName = reader.String(map, path, "tsig_key_name"),
            TsigSecretFile = reader.String(map, path, "tsig_secret_file"),
        };
    }

    private static CertificateReloadSpec ReadReload(YamlFieldReader reader, YamlNode? node, string path)
    {
        if (node is null)
        {
            return new CertificateReloadSpec();
        }

        var map = reader.Mapping(node, path, "service", "container", "signal", "command", "command_timeout");
        var defaults = new CertificateReloadSpec();
        return new CertificateReloadSpec
        {
            Service = reader.String(map, path, "service"),
            Container = reader.String(map, path, "container"),
            Signal = reader.String(map, path, "signal") ?? defaults.Signal,
            Command = reader.StringList(map, path, "command"),
            CommandTimeout = reader.Duration(map, path, "command_timeout") ?? defaults.CommandTimeout,
        };
    }
}

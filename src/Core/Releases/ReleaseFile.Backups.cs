using YamlDotNet.RepresentationModel;

namespace Fleet.Core.Releases;

/// <summary>The <c>backups:</c> section of fleet.yaml.</summary>
public static partial class ReleaseFile
{
    private static List<BackupSpec>? ReadBackups(YamlFieldReader reader, YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode backups)
        {
            reader.Error("backups", "must be a mapping of backup names to backups");
            return [];
        }

        var result = new List<BackupSpec>();
        foreach (var (key, value) in backups.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var path = $"backups.{name}";
            if (value is YamlMappingNode raw && YamlFieldReader.Child(raw, "password") is not null)
            {
                // Say why instead of only "unknown field": secrets never travel in a release.
                reader.Error(path + ".password", "a release never holds secrets; use password_file (a file on the host) or password_env (an environment variable of the agent)");
                raw.Children.Remove(new YamlScalarNode("password"));
            }

            var map = reader.Mapping(value, path,
                "kind", "host", "port", "database", "user", "password_file", "password_env", "container",
                "schedule", "jitter", "retention", "store", "encryption_key_file", "verify_schedule", "verify_query", "verify_on", "pre_deploy", "optional");
            var defaults = new BackupSpec { Name = name, Database = "", Store = new BackupStoreSpec { Url = "" }, EncryptionKeyFile = "" };
            result.Add(new BackupSpec
            {
                Name = name,
                Kind = reader.String(map, path, "kind") ?? defaults.Kind,
                Host = reader.String(map, path, "host"),
                Port = reader.Int(map, path, "port") ?? defaults.Port,
                Database = reader.String(map, path, "database", required: true) ?? "",
                User = reader.String(map, path, "user") ?? defaults.User,
                PasswordFile = reader.String(map, path, "password_file"),
                PasswordEnv = reader.String(map, path, "password_env"),
                Container = reader.String(map, path, "container"),
                Schedule = reader.String(map, path, "schedule") ?? defaults.Schedule,
                Jitter = reader.Duration(map, path, "jitter") ?? defaults.Jitter,
                Retention = ReadRetention(reader, YamlFieldReader.Child(map, "retention"), path + ".retention"),
                Store = ReadStore(reader, map, path),
                EncryptionKeyFile = reader.String(map, path, "encryption_key_file", required: true) ?? "",
                VerifySchedule = reader.String(map, path, "verify_schedule"),
                VerifyQuery = reader.String(map, path, "verify_query"),
                VerifyOn = ReadServer(reader, YamlFieldReader.Child(map, "verify_on"), path + ".verify_on"),
                PreDeploy = reader.Bool(map, path, "pre_deploy") ?? false,
                Optional = reader.Bool(map, path, "optional") ?? false,
            });
        }

        return result;
    }

    private static BackupServerSpec? ReadServer(YamlFieldReader reader, YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var map = reader.Mapping(node, path, "host", "port", "user", "password_file", "password_env");
        var defaults = new BackupServerSpec { Host = "" };
        return new BackupServerSpec
        {
            Host = reader.String(map, path, "host", required: true) ?? "",
            Port = reader.Int(map, path, "port") ?? defaults.Port,
            User = reader.String(map, path, "user") ?? defaults.User,
            PasswordFile = reader.String(map, path, "password_file"),
            PasswordEnv = reader.String(map, path, "password_env"),
        };
    }

    private static BackupRetentionSpec ReadRetention(YamlFieldReader reader, YamlNode? node, string path)
    {
        var defaults = new BackupRetentionSpec();
        if (node is null)
        {
            return defaults;
        }

        var map = reader.Mapping(node, path, "daily", "weekly", "monthly");
        return new BackupRetentionSpec
        {
            Daily = reader.Int(map, path, "daily") ?? defaults.Daily,
            Weekly = reader.Int(map, path, "weekly") ?? defaults.Weekly,
            Monthly = reader.Int(map, path, "monthly") ?? defaults.Monthly,
        };
    }

    // `store: s3://bucket/prefix` (or file://, gs://) or a mapping with the url and the store settings.
    private static BackupStoreSpec ReadStore(YamlFieldReader reader, YamlMappingNode? backup, string backupPath)
    {
        var path = backupPath + ".store";
        var node = YamlFieldReader.Child(backup, "store");
        if (node is YamlScalarNode { Value: { } url })
        {
            return new BackupStoreSpec { Url = url };
        }

        if (node is null)
        {
            if (backup is not null)
            {
                reader.Error(path, "is required (file:///folder, s3://bucket/prefix or gs://bucket/prefix)");
            }

            return new BackupStoreSpec { Url = "" };
        }

        var map = reader.Mapping(node, path, "url", "endpoint", "region", "access_key_id_file", "secret_access_key_file", "service_account_key_file", "anonymous");
        return new BackupStoreSpec
        {
            Url = reader.String(map, path, "url", required: true) ?? "",
            Endpoint = reader.String(map, path, "endpoint"),
            Region = reader.String(map, path, "region"),
            AccessKeyIdFile = reader.String(map, path, "access_key_id_file"),
            SecretAccessKeyFile = reader.String(map, path, "secret_access_key_file"),
            ServiceAccountKeyFile = reader.String(map, path, "service_account_key_file"),
            Anonymous = reader.Bool(map, path, "anonymous") ?? false,
        };
    }
}

using System.Text.RegularExpressions;
using Fleet.Core.Naming;

namespace Fleet.Core.Releases;

/// <summary>Rules of the <c>backups</c> section.</summary>
public static partial class ReleaseValidator
{
    private static void ValidateBackups(List<ValidationError> errors, IReadOnlyList<BackupSpec>? backups)
    {
        foreach (var backup in backups ?? [])
        {
            ValidateBackup(errors, backup);
        }

        CheckUnique(errors, "backups", (backups ?? []).Select(b => b.Name));
    }

    private static void ValidateBackup(List<ValidationError> errors, BackupSpec b)
    {
        var path = $"backups.{b.Name}";
        Check(errors, path, NameRules.Name().IsMatch(b.Name), "backup names are 1-63 lowercase letters, digits or '-'");
        Check(errors, path + ".kind", b.Kind == "postgres", $"'{b.Kind}' is not supported; use postgres");
        Check(errors, path + ".database", b.Database.Length is > 0 and <= 63, "is required (1-63 characters)");
        Check(errors, path + ".user", b.User.Length is > 0 and <= 63, "must be 1-63 characters");
        Check(errors, path + ".port", b.Port is >= 1 and <= 65535, $"port {b.Port} is outside 1-65535");
        Check(errors, path + ".container", b.Container is null || b.Host is null, "set either host (pg_dump on the host) or container (docker exec), not both");
        Check(errors, path + ".container", b.Container is null || NameRules.ContainerName().IsMatch(b.Container), $"'{b.Container}' is not a container name");
        Check(errors, path + ".host", b.Host is null || HostName().IsMatch(b.Host), $"'{b.Host}' is not a host name or IP address");
        Check(errors, path + ".password_env", b.PasswordFile is null || b.PasswordEnv is null, "set either password_file or password_env, not both");
        CheckHostFile(errors, path + ".password_file", b.PasswordFile);
        Check(errors, path + ".password_env", b.PasswordEnv is null || EnvironmentKey().IsMatch(b.PasswordEnv), "must be the name of an environment variable (letters, digits, '_')");
        Check(errors, path + ".encryption_key_file", b.EncryptionKeyFile.Length > 0, "is required: a file on the host holding the base64 of a 32-byte key");
        CheckHostFile(errors, path + ".encryption_key_file", b.EncryptionKeyFile.Length > 0 ? b.EncryptionKeyFile : null);
        CheckCron(errors, path + ".schedule", b.Schedule);
        if (b.VerifySchedule is { } verify)
        {
            CheckCron(errors, path + ".verify_schedule", verify);
        }

        Check(errors, path + ".verify_query", b.VerifyQuery is null || b.VerifyQuery.Trim().Length is > 0 and <= 4096, "must be 1-4096 characters of SQL");
        if (b.VerifyOn is { } server)
        {
            ValidateServer(errors, path + ".verify_on", server);
        }

        CheckRange(errors, path + ".jitter", b.Jitter, TimeSpan.Zero, TimeSpan.FromHours(6));
        Check(errors, path + ".retention.daily", b.Retention.Daily is >= 0 and <= 1000, "must be between 0 and 1000");
        Check(errors, path + ".retention.weekly", b.Retention.Weekly is >= 0 and <= 1000, "must be between 0 and 1000");
        Check(errors, path + ".retention.monthly", b.Retention.Monthly is >= 0 and <= 1000, "must be between 0 and 1000");
        Check(errors, path + ".retention", b.Retention.Daily + b.Retention.Weekly + b.Retention.Monthly > 0, "must keep at least one backup");
        ValidateStore(errors, path + ".store", b.Store);
        Check(errors, path + ".optional", !b.Optional || b.PreDeploy, "only a pre_deploy backup can be optional");
    }

    private static void ValidateServer(List<ValidationError> errors, string path, BackupServerSpec server)
    {
        Check(errors, path + ".host", HostName().IsMatch(server.Host), $"'{server.Host}' is not a host name or IP address");
        Check(errors, path + ".port", server.Port is >= 1 and <= 65535, $"port {server.Port} is outside 1-65535");
        Check(errors, path + ".user", server.User.Length is > 0 and <= 63, "must be 1-63 characters");
        Check(errors, path + ".password_env", server.PasswordFile is null || server.PasswordEnv is null, "set either password_file or password_env, not both");
        CheckHostFile(errors, path + ".password_file", server.PasswordFile);
        Check(errors, path + ".password_env", server.PasswordEnv is null || EnvironmentKey().IsMatch(server.PasswordEnv), "must be the name of an environment variable (letters, digits, '_')");
    }

    private static void ValidateStore(List<ValidationError> errors, string path, BackupStoreSpec store)
    {
        var ok = BackupStoreLocation.TryParse(store.Url, out var location, out var urlError);
        Check(errors, path, ok, urlError);
        Check(errors, path + ".endpoint", store.Endpoint is null || (Uri.TryCreate(store.Endpoint, UriKind.Absolute, out var e) && e.Scheme is "http" or "https"), "must be an http(s) URL");
        CheckHostFile(errors, path + ".access_key_id_file", store.AccessKeyIdFile);
        CheckHostFile(errors, path + ".secret_access_key_file", store.SecretAccessKeyFile);
        Check(errors, path + ".secret_access_key_file", (store.AccessKeyIdFile is null) == (store.SecretAccessKeyFile is null), "set both access_key_id_file and secret_access_key_file, or neither");
        CheckHostFile(errors, path + ".service_account_key_file", store.ServiceAccountKeyFile);
        Check(errors, path + ".service_account_key_file", store.ServiceAccountKeyFile is null || location?.Scheme == "gs", "applies to gs:// stores only");
        Check(errors, path + ".anonymous", !store.Anonymous || (location?.Scheme == "gs" && store.ServiceAccountKeyFile is null), "applies to gs:// stores without service_account_key_file only");
    }

    private static void CheckHostFile(List<ValidationError> errors, string path, string? file) =>
        Check(errors, path, file is null || (file.StartsWith('/') && !file.Split('/').Contains("..")), "must be an absolute path on the host without '..'");

    // Quartz syntax is checked fully on the agent; here: seconds-first, 6 or 7 fields of cron characters.
    private static void CheckCron(List<ValidationError> errors, string path, string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Check(errors, path, fields.Length is 6 or 7 && fields.All(f => CronField().IsMatch(f)),
            $"'{cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year], e.g. '0 30 2 * * ?')");
    }

    [GeneratedRegex(@"^[A-Za-z0-9*?,/#LW-]+\z")]
    private static partial Regex CronField();

    [GeneratedRegex(@"^[A-Za-z0-9.:\[\]-]{1,253}\z")]
    private static partial Regex HostName();
}

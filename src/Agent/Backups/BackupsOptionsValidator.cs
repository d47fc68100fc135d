using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Quartz;
using Fleet.Core.Naming;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>Checks the whole <c>Backups</c> section and reports every error at once.</summary>
internal sealed partial class BackupsOptionsValidator : IValidateOptions<BackupsOptions>
{
    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,62}\z")]
    private static partial Regex SafeName();

    public ValidateOptionsResult Validate(string? name, BackupsOptions options)
    {
        var errors = new List<string>();
        if (!SafeName().IsMatch(options.AgentName))
        {
            errors.Add($"Backups:AgentName '{options.AgentName}' must match ^[a-z0-9][a-z0-9._-]{{0,62}}$.");
        }
        if (!Path.IsPathFullyQualified(options.StateDirectory))
        {
            errors.Add("Backups:StateDirectory must be an absolute path.");
        }
        if (options.CompressionLevel is < 1 or > 19)
        {
            errors.Add("Backups:CompressionLevel must be between 1 and 19.");
        }
        if (options.CompressionWorkers is < 0 or > 16)
        {
            errors.Add("Backups:CompressionWorkers must be between 0 and 16.");
        }
        if (options.OrphanGracePeriod < TimeSpan.FromMinutes(1))
        {
            errors.Add("Backups:OrphanGracePeriod must be at least 1 minute.");
        }
        var seen = new HashSet<BackupKeyPath>();
        for (var i = 0; i < options.Declarations.Count; i++)
        {
            var d = options.Declarations[i];
            var at = $"Backups:Declarations:{i}";
            ValidateDeclaration(d, at, errors);
            if (!seen.Add(d.KeyPath))
            {
                errors.Add($"{at}: backup '{d.KeyPath}' is declared twice.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Checks one declaration; also used for declarations that arrive in a release.</summary>
    public static void ValidateDeclaration(BackupDeclaration d, string at, List<string> errors)
    {
        if (!SafeName().IsMatch(d.Name))
        {
            errors.Add($"{at}:Name '{d.Name}' must match ^[a-z0-9][a-z0-9._-]{{0,62}}$.");
        }
        if (!SafeName().IsMatch(d.App))
        {
            errors.Add($"{at}:App '{d.App}' must match ^[a-z0-9][a-z0-9._-]{{0,62}}$.");
        }
        if (d.Kind != "postgres")
        {
            errors.Add($"{at}:Kind '{d.Kind}' is not supported; use 'postgres'.");
        }
        if (string.IsNullOrWhiteSpace(d.Database))
        {
            errors.Add($"{at}:Database is required.");
        }
        if (string.IsNullOrWhiteSpace(d.User))
        {
            errors.Add($"{at}:User is required.");
        }
        if (d.Container is null && string.IsNullOrWhiteSpace(d.Host))
        {
            errors.Add($"{at}:Host is required unless Container is set.");
        }
        if (d.Port is < 1 or > 65535)
        {
            errors.Add($"{at}:Port must be between 1 and 65535.");
        }
        if (d.Container is { } container && !NameRules.ContainerName().IsMatch(container))
        {
            errors.Add($"{at}:Container '{container}' is not a valid container name.");
        }
        RequireFile(d.PasswordFile, $"{at}:PasswordFile", required: false, errors);
        if (d.PasswordFile is not null && d.PasswordEnv is not null)
        {
            errors.Add($"{at}: set PasswordFile or PasswordEnv, not both.");
        }
        RequireFile(d.EncryptionKeyFile, $"{at}:EncryptionKeyFile", required: true, errors);
        if (!IsValidCron(d.Schedule))
        {
            errors.Add($"{at}:Schedule '{d.Schedule}' is not a valid Quartz cron expression.");
        }
        if (d.VerifySchedule is { } verify && !IsValidCron(verify))
        {
            errors.Add($"{at}:VerifySchedule '{verify}' is not a valid Quartz cron expression.");
        }
        if (d.VerifyQuery is { } query && string.IsNullOrWhiteSpace(query))
        {
            errors.Add($"{at}:VerifyQuery must not be empty when set.");
        }
        if (d.VerifyOn is { } server)
        {
            ValidateVerifyServer(server, $"{at}:VerifyOn", errors);
        }
        if (d.Jitter < TimeSpan.Zero || d.Jitter > TimeSpan.FromHours(6))
        {
            errors.Add($"{at}:Jitter must be between 0 and 6 hours.");
        }
        if (d.Retention.Daily is < 0 or > 1000 || d.Retention.Weekly is < 0 or > 1000 || d.Retention.Monthly is < 0 or > 1000)
        {
            errors.Add($"{at}:Retention counts must be between 0 and 1000.");
        }
        if (!BackupStoreLocation.TryParse(d.Store.Url, out _, out var storeError))
        {
            errors.Add($"{at}:Store:Url {storeError}");
        }
        if (d.Store.PartSizeMiB is < 5 or > 512)
        {
            errors.Add($"{at}:Store:PartSizeMiB must be between 5 and 512.");
        }
        if (d.Store.Endpoint is { } endpoint && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
        {
            errors.Add($"{at}:Store:Endpoint must be an http(s) URL.");
        }
        RequireFile(d.Store.AccessKeyIdFile, $"{at}:Store:AccessKeyIdFile", required: false, errors);
        RequireFile(d.Store.SecretAccessKeyFile, $"{at}:Store:SecretAccessKeyFile", required: false, errors);
        RequireFile(d.Store.ServiceAccountKeyFile, $"{at}:Store:ServiceAccountKeyFile", required: false, errors);
        if (d.Store.ServiceAccountKeyFile is not null && d.Store.Anonymous)
        {
            errors.Add($"{at}:Store: set ServiceAccountKeyFile or Anonymous, not both.");
        }
    }

    private static bool IsValidCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void ValidateVerifyServer(VerifyServerSettings server, string at, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(server.Host))
        {
            errors.Add($"{at}:Host is required.");
        }
        if (server.Port is < 1 or > 65535)
        {
            errors.Add($"{at}:Port must be between 1 and 65535.");
        }
        RequireFile(server.PasswordFile, $"{at}:PasswordFile", required: false, errors);
        if (server.PasswordFile is not null && server.PasswordEnv is not null)
        {
            errors.Add($"{at}: set PasswordFile or PasswordEnv, not both.");
        }
    }

    private static void RequireFile(string? path, string setting, bool required, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            if (required)
            {
                errors.Add($"{setting} is required.");
            }
            return;
        }
        if (!Path.IsPathFullyQualified(path))
        {
            errors.Add($"{setting} must be an absolute path.");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{setting} '{path}' does not exist.");
        }
    }
}

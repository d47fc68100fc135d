using System.Text.Json.Serialization;

namespace Fleet.Core.Releases;

/// <summary>
/// One scheduled PostgreSQL backup of the app (fleet.yaml <c>backups.NAME</c>). Secrets are never
/// part of a release: the password and the encryption key are references to files on the host (or,
/// for the password, an environment variable of the agent).
/// </summary>
public sealed record BackupSpec
{
    public required string Name { get; init; }

    /// <summary>Only <c>postgres</c>.</summary>
    public string Kind { get; init; } = "postgres";

    /// <summary>Database host when pg_dump runs on the host; null with <see cref="Container"/>. Default 127.0.0.1.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = 5432;

    public required string Database { get; init; }

    public string User { get; init; } = "postgres";

    /// <summary>Absolute path of a file on the host holding the password.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>Name of an environment variable of the agent holding the password.</summary>
    public string? PasswordEnv { get; init; }

    /// <summary>Run pg_dump through <c>docker exec</c> in this container instead of on the host.</summary>
    public string? Container { get; init; }

    /// <summary>Quartz cron expression (seconds first, UTC). Default 03:00 every day.</summary>
    public string Schedule { get; init; } = "0 0 3 * * ?";

    /// <summary>Random delay added to each scheduled run; 0–6 h.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.Zero;

    public BackupRetentionSpec Retention { get; init; } = new();

    public required BackupStoreSpec Store { get; init; }

    /// <summary>Absolute path of a file on the host holding the base64 AES-256 key.</summary>
    public required string EncryptionKeyFile { get; init; }

    /// <summary>Quartz cron expression of the scheduled restore test; none when null.</summary>
    public string? VerifySchedule { get; init; }

    /// <summary>SQL the restore test runs on the restored database; it fails unless a row comes back.</summary>
    public string? VerifyQuery { get; init; }

    /// <summary>Another PostgreSQL server the restore test restores into, so that it does not load production.</summary>
    public BackupServerSpec? VerifyOn { get; init; }

    /// <summary>Back up once per rollout, on the host that goes first, before its swap and the run-once hooks.</summary>
    public bool PreDeploy { get; init; }

    /// <summary>With <see cref="PreDeploy"/>: a failed backup does not fail the host's deploy.</summary>
    public bool Optional { get; init; }
}

/// <summary>A PostgreSQL server reached from the host; the password by reference only.</summary>
public sealed record BackupServerSpec
{
    public required string Host { get; init; }

    public int Port { get; init; } = 5432;

    public string User { get; init; } = "postgres";

    public string? PasswordFile { get; init; }

    public string? PasswordEnv { get; init; }
}

/// <summary>Grandfather-father-son retention: how many days, ISO weeks and months keep their newest backup.</summary>
public sealed record BackupRetentionSpec
{
    public int Daily { get; init; } = 7;

    public int Weekly { get; init; } = 4;

    public int Monthly { get; init; } = 12;
}

/// <summary>
/// Where backups go: <c>file:///folder</c>, <c>s3://bucket/prefix</c> (credentials by file reference
/// or the agent's AWS_* environment) or <c>gs://bucket/prefix</c> (a service-account key file on the
/// host, or the host's Application Default Credentials). Never the credentials themselves.
/// </summary>
public sealed record BackupStoreSpec
{
    public required string Url { get; init; }

    /// <summary>S3 endpoint override (MinIO, R2, https://storage.googleapis.com).</summary>
    public string? Endpoint { get; init; }

    public string? Region { get; init; }

    public string? AccessKeyIdFile { get; init; }

    public string? SecretAccessKeyFile { get; init; }

    /// <summary>gs:// only: path on the host of a service-account JSON key file (0600).</summary>
    public string? ServiceAccountKeyFile { get; init; }

    /// <summary>gs:// only: send no credentials (an emulator, a public bucket). Left out of the JSON when false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Anonymous { get; init; }
}

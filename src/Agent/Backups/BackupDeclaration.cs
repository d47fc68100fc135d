namespace Fleet.Agent.Backups;

/// <summary>One scheduled backup of one database.</summary>
internal sealed class BackupDeclaration
{
    /// <summary>Name of the backup inside its app, e.g. <c>db</c>. ^[a-z0-9][a-z0-9._-]{0,62}$.</summary>
    public string Name { get; set; } = "";

    /// <summary>App the backup belongs to. Default <c>host</c> for agent-local backups.</summary>
    public string App { get; set; } = "host";

    /// <summary>Only <c>postgres</c> is supported.</summary>
    public string Kind { get; set; } = "postgres";

    /// <summary>Database host when pg_dump runs on the host. Default 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Database port. Default 5432; 1–65535.</summary>
    public int Port { get; set; } = 5432;

    public string Database { get; set; } = "";

    public string User { get; set; } = "postgres";

    /// <summary>File holding the password (never logged, passed as PGPASSWORD). Optional.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Environment variable of the agent holding the password (never logged). Optional; not with <see cref="PasswordFile"/>.</summary>
    public string? PasswordEnv { get; set; }

    /// <summary>When set, the PostgreSQL tools run through <c>docker exec</c> in this container.</summary>
    public string? Container { get; set; }

    /// <summary>Quartz cron expression. Default 03:00 every day.</summary>
    public string Schedule { get; set; } = "0 0 3 * * ?";

    /// <summary>Random delay added to each scheduled run. Default 0; 0–6 h.</summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.Zero;

    public RetentionSettings Retention { get; set; } = new();

    public BackupStoreSettings Store { get; set; } = new();

    /// <summary>File holding the base64 of a 32-byte AES-256 key (0600). Required.</summary>
    public string EncryptionKeyFile { get; set; } = "";

    /// <summary>Quartz cron expression of the scheduled restore test. Optional.</summary>
    public string? VerifySchedule { get; set; }

    /// <summary>SQL a restore test runs on the restored database; it fails unless the query returns a row. Default: none (the restored tables are counted).</summary>
    public string? VerifyQuery { get; set; }

    /// <summary>Another PostgreSQL server for restore tests, so that they do not load production. Default: the backed-up server.</summary>
    public VerifyServerSettings? VerifyOn { get; set; }

    /// <summary>Back up before a rollout's pre-deploy hook runs.</summary>
    public bool PreDeploy { get; set; }

    /// <summary>A failed pre-deploy backup does not fail the deploy.</summary>
    public bool Optional { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public BackupKeyPath KeyPath => new(App, Name);

    /// <summary>This declaration with its database server replaced by <see cref="VerifyOn"/> (tools on the host), or itself.</summary>
    public BackupDeclaration ForVerify()
    {
        if (VerifyOn is not { } server)
        {
            return this;
        }
        var copy = (BackupDeclaration)MemberwiseClone();
        (copy.Host, copy.Port, copy.User, copy.PasswordFile, copy.PasswordEnv, copy.Container) =
            (server.Host, server.Port, server.User, server.PasswordFile, server.PasswordEnv, null);
        return copy;
    }
}

/// <summary>The PostgreSQL server restore tests use instead of the backed-up one.</summary>
internal sealed class VerifyServerSettings
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Default 5432; 1–65535.</summary>
    public int Port { get; set; } = 5432;

    /// <summary>A role that may create and drop databases. Default postgres.</summary>
    public string User { get; set; } = "postgres";

    public string? PasswordFile { get; set; }

    public string? PasswordEnv { get; set; }
}

/// <summary>Where a declaration's objects live inside its store: <c>app/name/</c>.</summary>
internal readonly record struct BackupKeyPath(string App, string Name)
{
    public string Prefix => $"{App}/{Name}/";

    public override string ToString() => $"{App}/{Name}";
}

/// <summary>Grandfather-father-son retention: how many days, ISO weeks and months keep their newest backup.</summary>
internal sealed class RetentionSettings
{
    /// <summary>Default 7; 0–1000.</summary>
    public int Daily { get; set; } = 7;

    /// <summary>Default 4; 0–1000.</summary>
    public int Weekly { get; set; } = 4;

    /// <summary>Default 12; 0–1000.</summary>
    public int Monthly { get; set; } = 12;
}

internal enum ChecksumMode
{
    /// <summary>Only send/validate checksums the operation requires (S3-compatible servers, GCS XML API).</summary>
    WhenRequired,

    /// <summary>The AWS SDK default: checksums on every supported operation.</summary>
    WhenSupported,
}

internal sealed class BackupStoreSettings
{
    /// <summary><c>file:///absolute/folder</c> (default /var/lib/fleet-agent/backups/store), <c>s3://bucket/prefix</c> or <c>gs://bucket/prefix</c>.</summary>
    public string Url { get; set; } = "file:///var/lib/fleet-agent/backups/store";

    /// <summary>Server override: an S3-compatible endpoint (default AWS), or for gs:// the root of a JSON API server such as an emulator (default Google's).</summary>
    public string? Endpoint { get; set; }

    /// <summary>S3 signing region. Default us-east-1 (GCS: auto or us-east-1).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (bucket in the path). Default true.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Files holding the access key id and secret; default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.</summary>
    public string? AccessKeyIdFile { get; set; }

    public string? SecretAccessKeyFile { get; set; }

    /// <summary>RequestChecksumCalculation and ResponseChecksumValidation. Default WhenRequired.</summary>
    public ChecksumMode Checksums { get; set; } = ChecksumMode.WhenRequired;

    /// <summary>gs:// only: a service-account JSON key file (0600). Default: Application Default Credentials (the GCE metadata server, GOOGLE_APPLICATION_CREDENTIALS).</summary>
    public string? ServiceAccountKeyFile { get; set; }

    /// <summary>gs:// only: send no credentials (an emulator, a public bucket). Default false.</summary>
    public bool Anonymous { get; set; }

    /// <summary>S3 multipart part size, or gs:// resumable-upload chunk size, in MiB: the memory one upload holds. Default 8; 5–512.</summary>
    public int PartSizeMiB { get; set; } = 8;
}

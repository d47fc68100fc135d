using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Backups;

/// <summary>Written next to each successful backup as <c>app/name/ID.json</c>; the data is <c>app/name/ID.fleetbak</c>.</summary>
internal sealed record BackupManifest(
    string Id,
    string App,
    string Name,
    string Database,
    string Agent,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long SizeBytes,
    string Sha256,
    string ServerVersion,
    long? ReleaseSequence,
    string KeyId,
    string Format = "fleet-backup/v1 zstd aes-256-gcm-chunked")
{
    public const string DataSuffix = ".fleetbak";
    public const string ManifestSuffix = ".json";

    public string DataKey(BackupKeyPath path) => path.Prefix + Id + DataSuffix;

    public static string ManifestKey(BackupKeyPath path, string id) => path.Prefix + id + ManifestSuffix;
}

/// <summary>What happened in one backup, verify or restore run; queued in the outbox for the controller.</summary>
internal sealed record BackupReport(
    long Sequence,
    BackupOperation Operation,
    BackupTrigger Trigger,
    string App,
    string Name,
    string Agent,
    bool Succeeded,
    string? BackupId,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long? SizeBytes,
    string? Sha256,
    long? ReleaseSequence);

[JsonConverter(typeof(JsonStringEnumConverter<BackupOperation>))]
internal enum BackupOperation
{
    Backup,
    Verify,
    Restore,
}

[JsonConverter(typeof(JsonStringEnumConverter<BackupTrigger>))]
internal enum BackupTrigger
{
    Schedule,
    PreDeploy,
    Manual,

    /// <summary>Not a run: the newest good backup is older than the schedule allows (<see cref="BackupOverdueWatch"/>).</summary>
    Overdue,
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(BackupReport))]
internal sealed partial class BackupJsonContext : JsonSerializerContext;

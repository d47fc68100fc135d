using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Core.Releases;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Backups;

/// <summary>
/// The <c>backups:</c> of the releases this agent applied, per app, kept in
/// STATE/release-declarations.json (replaced atomically) so that schedules survive a restart.
/// </summary>
internal sealed class ReleaseBackupDeclarations(IOptions<BackupsOptions> options) : IBackupDeclarationSource
{
    private readonly Lock _gate = new();
    private Dictionary<string, List<BackupDeclaration>>? _byApp;

    public event EventHandler? Changed;

    private string FilePath => Path.Combine(options.Value.StateDirectory, "release-declarations.json");

    public IReadOnlyList<BackupDeclaration> Current
    {
        get
        {
            lock (_gate)
            {
                return [.. Load().OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)];
            }
        }
    }

    /// <summary>The app's declarations from now on (an empty list removes them).</summary>
    public void Replace(string app, IReadOnlyList<BackupSpec> specs)
    {
        lock (_gate)
        {
            var all = Load();
            all[app] = [.. specs.Select(s => Map(app, s))];
            Directory.CreateDirectory(options.Value.StateDirectory);
            var temp = FilePath + ".tmp";
            using (var file = new FileStream(temp, PrivateFile.Options(FileMode.Create)))
            {
                JsonSerializer.Serialize(file, all, DeclarationsJsonContext.Default.DictionaryStringListBackupDeclaration);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private Dictionary<string, List<BackupDeclaration>> Load() =>
        _byApp ??= File.Exists(FilePath)
            ? JsonSerializer.Deserialize(File.ReadAllText(FilePath), DeclarationsJsonContext.Default.DictionaryStringListBackupDeclaration) ?? []
            : [];

    /// <summary>A signed release's backup as this agent runs it.</summary>
    internal static BackupDeclaration Map(string app, BackupSpec s) => new()
    {
        App = app,
        Name = s.Name,
        Kind = s.Kind,
        Host = s.Host ?? "127.0.0.1",
        Port = s.Port,
        Database = s.Database,
        User = s.User,
        PasswordFile = s.PasswordFile,
        PasswordEnv = s.PasswordEnv,
        Container = s.Container,
        Schedule = s.Schedule,
        Jitter = s.Jitter,
        Retention = new RetentionSettings { Daily = s.Retention.Daily, Weekly = s.Retention.Weekly, Monthly = s.Retention.Monthly },
        Store = new BackupStoreSettings
        {
            Url = s.Store.Url,
            Endpoint = s.Store.Endpoint,
            Region = s.Store.Region ?? new BackupStoreSettings().Region,
            AccessKeyIdFile = s.Store.AccessKeyIdFile,
            SecretAccessKeyFile = s.Store.SecretAccessKeyFile,
            ServiceAccountKeyFile = s.Store.ServiceAccountKeyFile,
            Anonymous = s.Store.Anonymous,
        },
        EncryptionKeyFile = s.EncryptionKeyFile,
        VerifySchedule = s.VerifySchedule,
        VerifyQuery = s.VerifyQuery,
        VerifyOn = s.VerifyOn is { } on
            ? new VerifyServerSettings { Host = on.Host, Port = on.Port, User = on.User, PasswordFile = on.PasswordFile, PasswordEnv = on.PasswordEnv }
            : null,
        PreDeploy = s.PreDeploy,
        Optional = s.Optional,
    };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Dictionary<string, List<BackupDeclaration>>))]
internal sealed partial class DeclarationsJsonContext : JsonSerializerContext;

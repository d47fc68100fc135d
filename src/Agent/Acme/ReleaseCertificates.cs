using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Agent.Releases;
using Fleet.Core.Releases;
using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Acme;

/// <summary>
/// The certificates declared by the releases applied on this host, per app, kept in
/// STATE/releases.json so they survive restarts. The release that serves an app (newly applied, or
/// returned to by a rollback or revert) replaces the app's declarations and triggers a renewal pass
/// at once, so its new certificates are issued now, not at the next scheduled check.
/// </summary>
internal sealed partial class ReleaseCertificates(IOptionsMonitor<CertificatesOptions> options, ISchedulerFactory schedulers, ILogger<ReleaseCertificates> logger)
    : ICertificateDeclarationSource, IReleaseAppliedListener
{
    public const string FileName = "releases.json";
    private readonly Lock _lock = new();
    private SortedDictionary<string, List<CertificateDeclaration>>? _byApp;

    public IReadOnlyList<CertificateDeclaration> Current
    {
        get
        {
            lock (_lock)
            {
                return [.. Load().Values.SelectMany(d => d)];
            }
        }
    }

    private string FilePath => Path.Combine(options.CurrentValue.StateDirectory, FileName);

    public async Task AppliedReleaseChangedAsync(string app, ReleaseManifest? applied, CancellationToken cancellationToken)
    {
        var declarations = (applied?.Release.Certificates ?? []).Select(c => ToDeclaration(app, c)).ToList();
        lock (_lock)
        {
            var byApp = Load();
            if (declarations.Count == 0 && !byApp.ContainsKey(app))
            {
                return;
            }

            if (declarations.Count == 0)
            {
                byApp.Remove(app);
            }
            else
            {
                byApp[app] = declarations;
            }

            Directory.CreateDirectory(options.CurrentValue.StateDirectory);
            SecureFile.WriteAtomic(FilePath, JsonSerializer.Serialize(byApp, ReleaseCertificatesJsonContext.Default.SortedDictionaryStringListCertificateDeclaration), SecureFile.OwnerOnly);
        }

        Log.Declared(logger, app, applied?.Sequence ?? 0, declarations.Count);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(CertificateRenewalJob.Key, cancellationToken);
    }

    internal static CertificateDeclaration ToDeclaration(string app, CertificateSpec spec) => new()
    {
        Name = spec.Name,
        Domains = [.. spec.Domains],
        KeyType = spec.KeyType == CertificateKeyKind.Rsa2048 ? CertificateKeyType.Rsa2048 : CertificateKeyType.EcdsaP256,
        Challenge = new ChallengeDeclaration
        {
            Type = spec.Challenge.Type == CertificateChallengeType.Dns01 ? ChallengeDeclaration.Dns01 : ChallengeDeclaration.Http01,
            Server = spec.Challenge.Server,
            Zone = spec.Challenge.Zone,
            TsigKeyName = spec.Challenge.TsigKeyName,
            TsigSecretFile = spec.Challenge.TsigSecretFile,
        },
        Reload = new ReloadDeclaration
        {
            Service = spec.Reload.Service is { } service ? $"{app}/{service}" : null,
            Container = spec.Reload.Container,
            Signal = spec.Reload.Signal,
            Command = [.. spec.Reload.Command],
            CommandTimeout = spec.Reload.CommandTimeout,
        },
    };

    private SortedDictionary<string, List<CertificateDeclaration>> Load()
    {
        if (_byApp is null)
        {
            _byApp = File.Exists(FilePath)
                ? JsonSerializer.Deserialize(File.ReadAllText(FilePath), ReleaseCertificatesJsonContext.Default.SortedDictionaryStringListCertificateDeclaration)
                : null;
            _byApp ??= new SortedDictionary<string, List<CertificateDeclaration>>(StringComparer.Ordinal);
        }

        return _byApp;
    }

    private static partial class Log
    {
        [LoggerMessage(5040, LogLevel.Information, "Release {App} #{Sequence} declares {Count} certificates; checking them now")]
        public static partial void Declared(ILogger logger, string app, long sequence, int count);
    }
}

[JsonSerializable(typeof(SortedDictionary<string, List<CertificateDeclaration>>))]
internal sealed partial class ReleaseCertificatesJsonContext : JsonSerializerContext;

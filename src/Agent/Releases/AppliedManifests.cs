using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// The signed manifests of the releases the deploy journal names per app: the one that serves and
/// the one before it, kept as the payload bytes verified at admission in STATE/releases/manifests.json
/// (owner-only, replaced atomically). The journal keeps service specs only; these are what a
/// rollback or revert needs so that the features a release declares (backups, certificates)
/// follow the release that serves again.
/// </summary>
internal sealed class AppliedManifests(string stateDir)
{
    private readonly Lock _lock = new();
    private readonly string _path = Path.Combine(Path.GetFullPath(stateDir), "releases", "manifests.json");

    /// <summary>A verified release switched: it serves now, and the one that served before becomes the previous.</summary>
    public void Applied(string app, long sequence, byte[] payload)
    {
        lock (_lock)
        {
            var apps = Load();
            var known = apps.GetValueOrDefault(app);
            if (known?.Serving?.Sequence != sequence)
            {
                apps[app] = new AppManifests(new SignedPayload(sequence, payload), known?.Serving);
                Save(apps);
            }
        }
    }

    /// <summary>
    /// A rollback or revert returned the app to <paramref name="sequence"/> (0: nothing of it runs any
    /// more); <paramref name="serving"/> is that release's manifest, null for 0. As in the journal,
    /// the release returned from becomes the previous one. False, and nothing changes, when this agent
    /// does not hold that manifest (the release was applied before it kept them).
    /// </summary>
    public bool TryReturnTo(string app, long sequence, out ReleaseManifest? serving)
    {
        lock (_lock)
        {
            serving = null;
            var apps = Load();
            var known = apps.GetValueOrDefault(app);
            var returned = new[] { known?.Serving, known?.Previous }.FirstOrDefault(m => m is not null && m.Sequence == sequence);
            if (sequence != 0 && returned is null)
            {
                return false;
            }

            serving = returned is null ? null : ReleaseManifest.Parse(returned.Payload);
            apps[app] = new AppManifests(returned, known?.Serving?.Sequence == sequence ? known.Previous : known?.Serving);
            Save(apps);
            return true;
        }
    }

    private Dictionary<string, AppManifests> Load() =>
        File.Exists(_path)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(_path), AppliedManifestsJsonContext.Default.DictionaryStringAppManifests) ?? []
            : [];

    private void Save(Dictionary<string, AppManifests> apps)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        SecureFile.WriteAtomic(_path, JsonSerializer.Serialize(apps, AppliedManifestsJsonContext.Default.DictionaryStringAppManifests), SecureFile.OwnerOnly);
    }
}

/// <summary>The manifest serving an app (null once its first release was withdrawn) and the one before it.</summary>
internal sealed record AppManifests(SignedPayload? Serving, SignedPayload? Previous);

/// <summary>A release's sequence and its manifest as signed (the DSSE payload).</summary>
internal sealed record SignedPayload(long Sequence, byte[] Payload);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, AppManifests>))]
internal sealed partial class AppliedManifestsJsonContext : JsonSerializerContext;

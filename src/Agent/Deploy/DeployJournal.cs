using System.Text.Json;

namespace Fleet.Agent.Deploy;

/// <summary>
/// The local record of what runs and what is being swapped, one JSON file written atomically
/// (temp file, fsync, rename) so that a crash leaves either the old or the new content, never a mix.
/// </summary>
internal sealed class DeployJournal
{
    private const int CurrentVersion = 1;
    private readonly string _path;
    private readonly Lock _gate = new();
    private Dictionary<string, ServiceJournal> _services;

    public DeployJournal(string path)
    {
        _path = path;
        _services = Load(path);
    }

    public ServiceJournal? Get(string app, string service)
    {
        lock (_gate)
        {
            return _services.GetValueOrDefault(ServiceJournal.KeyOf(app, service));
        }
    }

    public IReadOnlyList<ServiceJournal> All()
    {
        lock (_gate)
        {
            return [.. _services.Values];
        }
    }

    /// <summary>Ports held by any applied or pending slot (slot ports must not collide across services).</summary>
    public IReadOnlySet<int> ReservedPorts()
    {
        lock (_gate)
        {
            return _services.Values
                .SelectMany(s => new[] { s.Applied, s.Pending })
                .OfType<SlotRecord>()
                .Select(r => r.Port)
                .ToHashSet();
        }
    }

    public IReadOnlyList<ActiveEndpoint> ActiveEndpoints()
    {
        lock (_gate)
        {
            return _services.Values
                .Where(s => s.Applied is not null)
                .Select(s => new ActiveEndpoint(s.App, s.Service, s.Applied!.Release, s.Applied.Slot, s.Applied.Endpoint))
                .ToList();
        }
    }

    /// <summary>Replaces one service's entry and persists; an entry with nothing applied, pending or withdrawn is dropped.</summary>
    public void Set(ServiceJournal entry)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, ServiceJournal>(_services);
            if (entry.Applied is null && entry.Pending is null && entry.Previous is null)
            {
                next.Remove(entry.Key);
            }
            else
            {
                next[entry.Key] = entry;
            }

            Write(next);
            _services = next;
        }
    }

    private void Write(Dictionary<string, ServiceJournal> services)
    {
        var file = new DeployJournalFile(CurrentVersion, [.. services.Values.OrderBy(s => s.Key, StringComparer.Ordinal)]);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, DeployJsonContext.Default.DeployJournalFile);
        var temp = _path + ".tmp";
        // The journal holds service environments, which may carry secrets: owner-only.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        var folder = Path.GetDirectoryName(Path.GetFullPath(_path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        // rename(2) replaces the file atomically. .NET cannot fsync a directory, so after a power cut the
        // rename itself may be lost; the file is then the previous complete journal, which the Reconciler handles.
        File.Move(temp, _path, overwrite: true);
    }

    private static Dictionary<string, ServiceJournal> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        DeployJournalFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), DeployJsonContext.Default.DeployJournalFile);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The deploy journal {path} is not valid JSON: {ex.Message}", ex);
        }

        if (file is null || file.Version != CurrentVersion)
        {
            throw new InvalidDataException($"The deploy journal {path} has unsupported version {file?.Version}.");
        }

        return file.Services.ToDictionary(s => s.Key);
    }
}

using System.Text.Json;

namespace Fleet.Cli.Config;

/// <summary>
/// Reads and writes config.json. It holds API tokens, so the file is 0600 in a 0700 folder,
/// and it is replaced atomically (write a temporary file beside it, then rename) so that a
/// crash never leaves half a file.
/// </summary>
internal sealed class ConfigStore(string path)
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string FilePath { get; } = path;

    public bool Exists => File.Exists(FilePath);

    /// <summary>The saved configuration, or an empty one when there is no file yet.</summary>
    public CliConfig LoadOrEmpty() => Exists ? Load() : new CliConfig();

    public CliConfig Load()
    {
        string json;
        try
        {
            json = File.ReadAllText(FilePath);
        }
        catch (FileNotFoundException)
        {
            throw NotLoggedIn();
        }
        catch (DirectoryNotFoundException)
        {
            throw NotLoggedIn();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {FilePath}: {ex.Message}", inner: ex);
        }

        try
        {
            return JsonSerializer.Deserialize(json, ConfigJsonContext.Default.CliConfig)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{FilePath} is not a valid fleetctl config ({ex.Message}); fix it or delete it and run fleetctl login", inner: ex);
        }
    }

    /// <summary>The context named, or the current one when <paramref name="name"/> is null.</summary>
    public (string Name, ControllerContext Context) Resolve(string? name)
    {
        var config = Load();
        var wanted = name ?? config.CurrentContext;
        if (wanted is null)
        {
            throw new CliException($"no current context in {FilePath}: run fleetctl context use NAME, or fleetctl login");
        }

        if (!config.Contexts.TryGetValue(wanted, out var context))
        {
            var known = config.Contexts.Count == 0 ? "none" : string.Join(", ", config.Contexts.Keys.Order(StringComparer.Ordinal));
            throw new CliException($"no context named '{wanted}' in {FilePath} (known: {known}); run fleetctl login --context {wanted} …");
        }

        return (wanted, context);
    }

    public void Save(CliConfig config)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("fleetctl keeps its tokens in a 0600 file, which needs Linux or macOS");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath))!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, PrivateFolder);
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(FilePath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFile,
            }))
            {
                JsonSerializer.Serialize(stream, config, ConfigJsonContext.Default.CliConfig);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException($"cannot write {FilePath}: {ex.Message}", inner: ex);
        }
    }

    private CliException NotLoggedIn() =>
        new($"no fleetctl config at {FilePath}: run fleetctl login --controller URL --ca-pin PIN --token-file FILE");
}

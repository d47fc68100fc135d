namespace Fleet.Controller.Identity;

/// <summary>Writes files atomically (temp file, then rename); secrets are created 0600 from the start.</summary>
internal static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static void WriteSecret(string path, string contents) => Write(path, contents, OwnerOnly);

    public static void WritePublic(string path, string contents) => Write(path, contents, Public);

    private static void Write(string path, string contents, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("fleet-controller needs Unix file modes");
        }

        var temp = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}

namespace Fleet.Agent.Backups;

/// <summary>File options for files only the agent's user may read (0600): keys, backups, reports.</summary>
internal static class PrivateFile
{
    public static FileStreamOptions Options(FileMode mode, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var result = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return result;
    }
}

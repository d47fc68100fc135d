namespace Fleet.Agent.Registries;

/// <summary>A registry password kept in a file only the agent's user may read, as ssh wants of its keys.</summary>
internal static class PasswordFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>What is wrong with <paramref name="path"/> ("must be an absolute path", ...), or null when it is usable.</summary>
    public static string? Problem(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
        {
            return "must be an absolute path";
        }

        if (!File.Exists(path))
        {
            return $"{path} does not exist";
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOther) != 0
            ? $"{path} may be read by group or others (mode {Convert.ToString((int)mode, 8)}); run chmod 600 on it"
            : null;
    }

    /// <summary>The password, without one trailing newline (check <see cref="Problem"/> first).</summary>
    public static string Read(string path)
    {
        var text = File.ReadAllText(path);
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }
}

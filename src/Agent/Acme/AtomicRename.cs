using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Fleet.Agent.Acme;

/// <summary>
/// rename(2) for a symlink to a directory: File.Move refuses it (it follows the link and sees a
/// directory) and Directory.Move will not replace, yet rename replaces the link atomically.
/// </summary>
internal static class AtomicRename
{
    public static void Replace(string source, string destination)
    {
        if (Rename(source, destination) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Could not rename {source} to {destination}: {new Win32Exception(errno).Message}", errno);
        }
    }

    // DllImport rather than LibraryImport: the generated stub would need unsafe code in the project.
    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Rename(string oldPath, string newPath);
}

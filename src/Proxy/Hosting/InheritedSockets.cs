using System.Globalization;

namespace Fleet.Proxy.Hosting;

/// <summary>A listening socket passed by systemd socket activation: its file descriptor and FileDescriptorName.</summary>
internal sealed record InheritedSocket(int FileDescriptor, string Name);

/// <summary>
/// Reads systemd's socket-activation protocol (sd_listen_fds): LISTEN_PID names this process,
/// LISTEN_FDS counts the sockets from fd 3 on, LISTEN_FDNAMES names them (":"-separated).
/// systemd keeps its copies of these sockets open while the proxy restarts, so connections that
/// arrive meanwhile wait in the kernel's queue instead of being refused.
/// </summary>
internal static class InheritedSockets
{
    public const string Http = "http";
    public const string Https = "https";
    public const string Admin = "admin";
    private const int FirstDescriptor = 3;

    public static IReadOnlyList<InheritedSocket> Read(Func<string, string?> environment, int processId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!int.TryParse(environment("LISTEN_PID"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId
            || !int.TryParse(environment("LISTEN_FDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return [];
        }

        var names = (environment("LISTEN_FDNAMES") ?? "").Split(':');
        return [.. Enumerable.Range(0, count).Select(i => new InheritedSocket(
            FirstDescriptor + i,
            i < names.Length && names[i].Length > 0 ? names[i] : Http))];
    }

    /// <summary>The sockets of this process, and the variables removed so that child processes do not take them.</summary>
    public static IReadOnlyList<InheritedSocket> TakeFromEnvironment()
    {
        var sockets = Read(Environment.GetEnvironmentVariable, Environment.ProcessId);
        foreach (var variable in (string[])["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"])
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        return sockets;
    }
}

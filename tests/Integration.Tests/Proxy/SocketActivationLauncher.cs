using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Fleet.Integration.Tests.Proxy;

/// <summary>
/// Does what systemd's fleet-proxy.socket does, for tests: holds the listening sockets (public
/// HTTP on 127.0.0.1 and the admin Unix socket) for as long as it lives and passes them to each
/// fleet-proxy process it starts (LISTEN_FDS from fd 3, LISTEN_PID, LISTEN_FDNAMES). A restart is
/// SIGTERM, wait for the exit, start again: connections that arrive meanwhile wait in the
/// kernel's queue of the socket the launcher keeps open.
/// </summary>
internal sealed partial class SocketActivationLauncher : IAsyncDisposable
{
    private const int SetDescriptorFlags = 2;
    private const int Terminate = 15;
    private readonly Socket _http;
    private readonly Socket _admin;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public SocketActivationLauncher(string stateDirectory)
    {
        StateDirectory = stateDirectory;
        Directory.CreateDirectory(stateDirectory);
        AdminSocket = Path.Combine(stateDirectory, "admin.sock");
        _http = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _http.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _http.Listen(1024);
        _admin = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _admin.Bind(new UnixDomainSocketEndPoint(AdminSocket));
        _admin.Listen(64);
        File.SetUnixFileMode(AdminSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        MetricsPort = FreePort();
        foreach (var socket in new[] { _http, _admin })
        {
            // Inherited by the children: the proxy takes them over at fd 3 and 4.
            if (Fcntl((int)socket.Handle, SetDescriptorFlags, 0) != 0)
            {
                throw new InvalidOperationException($"fcntl failed: {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    public string StateDirectory { get; }

    public string AdminSocket { get; }

    public int HttpPort => ((IPEndPoint)_http.LocalEndPoint!).Port;

    public int MetricsPort { get; }

    public int Starts { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts a fleet-proxy on the held sockets and waits until it says it serves.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (http, admin) = ((int)_http.Handle, (int)_admin.Handle);
        if (http <= 4 || admin <= 4)
        {
            throw new InvalidOperationException("the held sockets must not sit on fd 3 or 4");
        }

        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var script = string.Create(CultureInfo.InvariantCulture,
            $"exec 3<&{http} 4<&{admin} {http}<&- {admin}<&-; export LISTEN_PID=$$ LISTEN_FDS=2 LISTEN_FDNAMES=http:admin; exec dotnet \"$@\"");
        foreach (var argument in (string[])[
            "-c", script, "bash", Path.Combine(AppContext.BaseDirectory, "fleet-proxy.dll"),
            $"--Proxy:StateDirectory={StateDirectory}", "--Proxy:Http=off",
            string.Create(CultureInfo.InvariantCulture, $"--Proxy:Metrics=127.0.0.1:{MetricsPort}"),
            "--Proxy:ShutdownTimeout=00:00:20"])
        {
            start.ArgumentList.Add(argument);
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start fleet-proxy");
        process.OutputDataReceived += (_, e) => Append(e.Data, started);
        process.ErrorDataReceived += (_, e) => Append(e.Data, started);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        var exited = process.WaitForExitAsync(cancellationToken);
        if (await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromSeconds(60), cancellationToken)) != started.Task)
        {
            throw new InvalidOperationException($"fleet-proxy did not start:\n{Output}");
        }
    }

    /// <summary>What systemctl restart does: SIGTERM, wait for a graceful exit, start again.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _ = Kill(process.Id, Terminate);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _http.Dispose();
        _admin.Dispose();
    }

    private void Append(string? line, TaskCompletionSource started)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("\"EventId\":1,", StringComparison.Ordinal))
        {
            started.TrySetResult();
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}

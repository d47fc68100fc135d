using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Controller;

/// <summary>`fleet-controller --dev`: the private PostgreSQL it starts never outlives it.</summary>
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task Dev_MetricsPortTaken_ExitsWithTheReasonAndStopsItsPostgres()
    {
        TestEnvironment.Require("FLEET_PG_BIN", "PostgreSQL installation (initdb, pg_ctl)");
        using var folder = new TempDirectory("dev");
        // The postgres user runs the cluster and must pass through the test's private temp folder.
        File.SetUnixFileMode(folder.Path, File.GetUnixFileMode(folder.Path) | UnixFileMode.OtherExecute);
        var data = Directory.CreateDirectory(folder.Combine("data")).FullName;
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await RunControllerAsync("--dev", "--data", data, "--listen", "127.0.0.1:0", "--metrics-listen", $"127.0.0.1:{port}");

        Assert.True(exitCode == 1, output);
        Assert.Contains("cannot start", output, StringComparison.Ordinal);
        Assert.Contains("address already in use", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Started the embedded PostgreSQL", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "postgres", "PG_VERSION")), "the cluster was created");
        Assert.False(File.Exists(Path.Combine(data, "postgres", "postmaster.pid")), "the embedded PostgreSQL is still running:\n" + output);
    }

    private static async Task<(int ExitCode, string Output)> RunControllerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleet-controller.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Systemd;

/// <summary>
/// The shipped units under systemd/ are checked by systemd's own parser (systemd-analyze verify,
/// from the systemd package that ./scripts/test.sh installs) and for their hardening directives.
/// </summary>
public sealed partial class UnitFileTests : IDisposable
{
    private const string Agent = "fleet-agent.service";
    private const string Controller = "fleet-controller.service";
    private const string Proxy = "fleet-proxy.service";
    private const string ProxySocket = "fleet-proxy.socket";
    private const string ProxyAdminSocket = "fleet-proxy-admin.socket";

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("fleet-units-");

    public static TheoryData<string> Units => [Agent, Controller, Proxy, ProxySocket, ProxyAdminSocket];

    public static TheoryData<string, string, string> Directives
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var unit in new[] { Agent, Controller })
            {
                foreach (var (key, value) in CommonDirectives)
                {
                    data.Add(unit, key, value);
                }
            }

            data.Add(Agent, "User", "fleet-agent");
            data.Add(Agent, "SupplementaryGroups", "docker");
            data.Add(Agent, "WatchdogSec", "60s");
            data.Add(Agent, "StateDirectory", "fleet-agent");
            data.Add(Agent, "ReadWritePaths", "/var/lib/fleet-agent");
            data.Add(Controller, "User", "fleet-controller");
            data.Add(Controller, "StateDirectory", "fleet-controller");
            data.Add(Controller, "ReadWritePaths", "/var/lib/fleet-controller");
            foreach (var (key, value) in CommonDirectives.Where(d => d.Key != "CapabilityBoundingSet" && d.Key != "RestartSec"))
            {
                data.Add(Proxy, key, value);
            }

            // Binding a service's own port below 1024, and nothing else.
            data.Add(Proxy, "CapabilityBoundingSet", "CAP_NET_BIND_SERVICE");
            data.Add(Proxy, "User", "fleet-proxy");
            data.Add(Proxy, "StateDirectory", "fleet-proxy");
            data.Add(Proxy, "Sockets", "fleet-proxy.socket fleet-proxy-admin.socket");
            data.Add(ProxySocket, "FileDescriptorName", "http");
            data.Add(ProxyAdminSocket, "FileDescriptorName", "admin");
            data.Add(ProxyAdminSocket, "SocketUser", "fleet-agent");
            data.Add(ProxyAdminSocket, "SocketMode", "0600");
            return data;
        }
    }

    private static readonly string[] SystemdAnalyzeLocations = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"];

    private static readonly (string Key, string Value)[] CommonDirectives =
    [
        ("Type", "notify"),
        ("Restart", "on-failure"),
        ("RestartSec", "5s"),
        ("StateDirectoryMode", "0700"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "true"),
        ("PrivateTmp", "true"),
        ("NoNewPrivileges", "true"),
        ("ProtectKernelTunables", "true"),
        ("ProtectKernelModules", "true"),
        ("ProtectControlGroups", "true"),
        ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6 AF_NETLINK"),
        ("LockPersonality", "true"),
        // .NET's JIT needs writable-then-executable memory.
        ("MemoryDenyWriteExecute", "no"),
        ("CapabilityBoundingSet", ""),
        ("SystemCallArchitectures", "native"),
    ];

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Verify_ShippedUnit_SystemdReportsNothing(string unit)
    {
        var (exitCode, output) = await VerifyAsync(unit, ReadUnit(unit));

        Assert.True(exitCode == 0 && output.Length == 0,
            $"systemd-analyze verify {unit} exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task Verify_UnitWithMisspelledDirective_SystemdReportsIt()
    {
        var broken = ReadUnit(Agent).Replace("NoNewPrivileges=true", "NoNewPrivilege=true", StringComparison.Ordinal);

        var (_, output) = await VerifyAsync(Agent, broken);

        Assert.Contains("Unknown key 'NoNewPrivilege'", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Directives))]
    public void Directive_ShippedUnit_HasExpectedValue(string unit, string key, string expected)
    {
        var values = Parse(ReadUnit(unit)).Where(d => d.Key == key).Select(d => d.Value).ToList();

        Assert.True(values.Count > 0, $"{unit} lacks {key}=");
        Assert.Equal(expected, values[^1]);
    }

    [Theory]
    [InlineData(Agent, "/usr/lib/fleet/agent/fleet-agent run --state-dir /var/lib/fleet-agent")]
    [InlineData(Controller, "/usr/lib/fleet/controller/fleet-controller --data /var/lib/fleet-controller")]
    [InlineData(Proxy, "/usr/lib/fleet/proxy/fleet-proxy --Proxy:StateDirectory=/var/lib/fleet-proxy")]
    public void ExecStart_ShippedUnit_RunsThePackagedBinary(string unit, string expectedPrefix)
    {
        var execStart = Assert.Single(Parse(ReadUnit(unit)), d => d.Key == "ExecStart").Value;

        Assert.StartsWith(expectedPrefix, execStart, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    /// <summary>
    /// verify refuses units whose ExecStart binary is missing, and the packaged binaries are not
    /// installed here: it checks a copy whose ExecStart runs /bin/true with the same arguments.
    /// </summary>
    private async Task<(int ExitCode, string Output)> VerifyAsync(string unit, string text)
    {
        // A unit's sockets and service must be beside it, as they are installed.
        foreach (var sibling in Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "systemd")))
        {
            await File.WriteAllTextAsync(
                Path.Combine(_scratch.FullName, Path.GetFileName(sibling)),
                ExecStartBinary().Replace(await File.ReadAllTextAsync(sibling, TestContext.Current.CancellationToken), "ExecStart=/bin/true"),
                TestContext.Current.CancellationToken);
        }

        var copy = Path.Combine(_scratch.FullName, unit);
        await File.WriteAllTextAsync(copy, ExecStartBinary().Replace(text, "ExecStart=/bin/true"), TestContext.Current.CancellationToken);
        var tool = SystemdAnalyzeLocations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "systemd-analyze not found: install the systemd package (./scripts/test.sh does)");
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "verify", "--man=no", "--generators=no", copy },
        };
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    private static IEnumerable<KeyValuePair<string, string>> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && line[0] is not ('#' or ';' or '['))
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts[1].Trim()));

    private static string ReadUnit(string unit) => File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "systemd", unit));

    [GeneratedRegex(@"^ExecStart=\S+", RegexOptions.Multiline)]
    private static partial Regex ExecStartBinary();
}

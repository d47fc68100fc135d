using System.Text;
using Fleet.Agent.Secrets;
using Fleet.Integration.Tests.Deploy;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;
using Npgsql;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// Issue 17 (secrets) end to end: fleetctl seals values for real agents' keys, the real controller
/// stores ciphertexts in PostgreSQL, real fleet-agent processes open them and hand them to busybox
/// containers on the real Docker engine; a rollback runs with the version it was signed with, and an
/// agent enrolled later fails clearly until granted. Neither the database nor any log holds a value.
/// </summary>
public sealed class SecretsFlowTests(EndToEndFixture fleet) : IClassFixture<EndToEndFixture>, IDisposable
{
    private const string App = "vault";
    private readonly TempDirectory _files = new("secrets");
    private readonly List<CliResult> _cli = [];
    private readonly string _first = $"pw-one-{Guid.NewGuid():N}";
    private readonly string _second = $"pw-two-{Guid.NewGuid():N}";
    private readonly string _token = $"tok-{Guid.NewGuid():N}";

    [Fact]
    public async Task Secrets_SetDeployRotateRollbackGrant_ServicesReadPinnedValuesAndNoPlaintextLeaks()
    {
        await CliAsync("secrets", "keygen", "--name", "ops");
        var one = await fleet.StartAgentAsync("sec-1", ReleaseFlowTests.Group("sec"));
        var registered = (await fleet.Operator.JsonAsync("agents", "show", one.Name)).GetProperty("encryptionKey").GetString();
        using (var key = AgentEncryptionKey.LoadOrCreate(one.StateDirectory))
        {
            Assert.Equal(key.Fingerprint, registered);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(one.StateDirectory, AgentEncryptionKey.FileName)));

        // A release that uses a secret nobody set is refused before anything is signed.
        var unset = await CliAsync("deploy", "-f", ReleaseFile("FLEET_TEST_IMAGE_GOOD"), "--env", "staging", "--key", "alice");
        Assert.Equal(1, unset.ExitCode);
        Assert.Contains("not set for vault in staging: db_password, api_token", unset.Stderr, StringComparison.Ordinal);

        await SetAsync("db_password", _first);
        await SetAsync("api_token", _token);
        await DeployOkAsync("FLEET_TEST_IMAGE_GOOD");
        Assert.Equal(_first, await ReadAsync(one, "cat", "/run/secrets/db_password"));
        Assert.Equal($"{_token} from-env-file", await ReadAsync(one, "sh", "-c", "echo $API_TOKEN $FROM_ENV_FILE"));
        var written = Directory.EnumerateFiles(Path.Combine(one.StateDirectory, "run-secrets"), "db_password", SearchOption.AllDirectories).Single();
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(written));

        await SetAsync("db_password", _second);
        await DeployOkAsync("FLEET_TEST_IMAGE_GOOD_V2");
        Assert.Equal(_second, await ReadAsync(one, "cat", "/run/secrets/db_password"));

        var rollback = await CliAsync("rollback", App, "--env", "staging", "--key", "alice", "--watch");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(_first, await ReadAsync(one, "cat", "/run/secrets/db_password"));

        // An agent enrolled after the secrets were set holds no copy: its deploy fails before it changes anything.
        var two = await fleet.StartAgentAsync("sec-2", ReleaseFlowTests.Group("sec"));
        var refused = await CliAsync("deploy", "-f", ReleaseFile("FLEET_TEST_IMAGE_GOOD_V2"), "--env", "staging", "--key", "alice", "--watch");
        Assert.Equal(1, refused.ExitCode);
        var target = (await fleet.RolloutAsync(App)).GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("agent").GetString() == two.Name);
        Assert.Equal("failed", target.GetProperty("state").GetString());
        Assert.Contains("is not granted to agent " + two.Name, target.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"fleetctl secrets grant {two.Name}", target.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await fleet.ContainersAsync(two, App));

        var granted = await CliAsync("secrets", "grant", two.Name);
        Assert.True(granted.ExitCode == 0, granted.ToString());
        Assert.Contains("granted 3 secret versions of staging", granted.Stdout, StringComparison.Ordinal);
        await DeployOkAsync("FLEET_TEST_IMAGE_GOOD_V2");
        Assert.Equal(_second, await ReadAsync(two, "cat", "/run/secrets/db_password"));
        Assert.Equal(_second, await ReadAsync(one, "cat", "/run/secrets/db_password"));

        var listed = await fleet.Operator.JsonAsync("secrets", "list", "--env", "staging", "--app", App);
        var latest = listed.GetProperty("secrets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "db_password");
        Assert.Equal(
            [one.Name, two.Name],
            latest.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("agent").GetString()).Where(n => n!.Length > 0).Order(StringComparer.Ordinal));

        var removed = await CliAsync("secrets", "rm", App, "api_token", "--env", "staging");
        Assert.Contains("removed secret api_token: 1 versions", removed.Stdout, StringComparison.Ordinal);

        await AssertNoPlaintextAsync([one, two]);
    }

    private async Task AssertNoPlaintextAsync(IReadOnlyList<AgentProcess> agents)
    {
        string[] values = [_first, _second, _token];
        var database = new StringBuilder();
        var sealedRows = 0;
        await using (var connection = new NpgsqlConnection(fleet.Controller.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("select tablename from pg_tables where schemaname = 'public'", connection))
            await using (var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken))
            {
                while (await reader.ReadAsync(TestContext.Current.CancellationToken))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Contains("sealed_secrets", tables);
            foreach (var table in tables)
            {
                await using var rows = new NpgsqlCommand($"select t::text from \"{table}\" t", connection);
                await using var reader = await rows.ExecuteReaderAsync(TestContext.Current.CancellationToken);
                while (await reader.ReadAsync(TestContext.Current.CancellationToken))
                {
                    database.AppendLine(reader.GetString(0));
                    sealedRows += table == "sealed_secrets" ? 1 : 0;
                }
            }
        }

        var logs = new Dictionary<string, string>
        {
            ["database"] = database.ToString(),
            ["controller"] = fleet.Controller.Output,
            ["fleetctl"] = string.Join('\n', _cli.Select(r => r.ToString())),
        };
        foreach (var agent in agents)
        {
            logs[agent.Name] = agent.Output;
        }

        // db_password v1, v2 and api_token v1 were sealed for the recovery key and both agents; api_token was removed since.
        Assert.Equal(6, sealedRows);
        Assert.Contains("Wrote 2 secrets of vault", logs[agents[0].Name], StringComparison.Ordinal);
        foreach (var (source, text) in logs)
        {
            foreach (var value in values)
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{source} holds a secret value");
                Assert.False(text.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), StringComparison.Ordinal), $"{source} holds a secret value in base64");
            }
        }
    }

    private async Task SetAsync(string name, string value)
    {
        var file = _files.Combine($"{name}-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, value, TestContext.Current.CancellationToken);
        var result = await CliAsync("secrets", "set", App, name, "--env", "staging", "--from-file", file);
        Assert.True(result.ExitCode == 0, result.ToString());
        File.Delete(file);
    }

    private async Task DeployOkAsync(string imageVariable)
    {
        var result = await CliAsync("deploy", "-f", ReleaseFile(imageVariable), "--env", "staging", "--key", "alice", "--watch");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task<CliResult> CliAsync(params string[] args)
    {
        var result = await fleet.Operator.RunAsync(args);
        _cli.Add(result);
        return result;
    }

    private async Task<string> ReadAsync(AgentProcess agent, params string[] command)
    {
        var journal = EndToEndFixture.Journal(agent, App)!.Applied!;
        var container = (await fleet.ContainersAsync(agent, App)).Single(c => c.Running && c.Labels["fleet.release"] == journal.Release.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var result = await fleet.ExecAsync(container.Id, command);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Output.Trim();
    }

    private string ReleaseFile(string imageVariable)
    {
        var envFile = _files.Combine("web.env");
        File.WriteAllText(envFile, "# read by the agent when it creates the container\nFROM_ENV_FILE=from-env-file\n");
        var path = _files.Combine($"fleet-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$"""
            app: {{App}}
            target_labels: { group: sec }
            services:
              web:
                image: {{DeployHarness.Image(imageVariable)}}
                secrets:
                  - db_password
                  - { name: api_token, env: API_TOKEN }
                env_file: {{envFile}}
                health: { type: http, path: /health, port: 8080, interval: 1s, timeout: 1s, retries: 3 }
            healthy_deadline: 60s
            min_healthy_time: 1s
            """);
        return path;
    }

    public void Dispose() => _files.Dispose();
}

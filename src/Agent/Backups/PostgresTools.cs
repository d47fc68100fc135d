using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Backups;

/// <summary>
/// Builds pg_dump / pg_restore / psql invocations for a declaration, on the host or through
/// <c>docker exec</c>. Arguments are a list (no shell); the password travels only in the
/// PGPASSWORD environment variable (for docker: <c>-e PGPASSWORD</c> without a value, which
/// copies it from the docker client's environment), never on a command line.
/// </summary>
internal sealed class PostgresTools(IOptions<BackupsOptions> options)
{
    public ProcessStartInfo Command(BackupDeclaration d, string tool, params IEnumerable<string> arguments)
    {
        var password = Password(d);
        ProcessStartInfo psi;
        if (d.Container is { } container)
        {
            psi = new ProcessStartInfo("docker");
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add("-i");
            if (password is not null)
            {
                psi.ArgumentList.Add("-e");
                psi.ArgumentList.Add("PGPASSWORD");
            }
            psi.ArgumentList.Add(container);
            psi.ArgumentList.Add(tool);
        }
        else
        {
            psi = new ProcessStartInfo(options.Value.PostgresBinDirectory is { } bin ? Path.Combine(bin, tool) : tool);
            psi.ArgumentList.Add("--host");
            psi.ArgumentList.Add(d.Host);
            psi.ArgumentList.Add("--port");
            psi.ArgumentList.Add(d.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        psi.ArgumentList.Add("--username");
        psi.ArgumentList.Add(d.User);
        psi.ArgumentList.Add("--no-password");
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        psi.Environment.Remove("PGPASSWORD");
        if (password is not null)
        {
            psi.Environment["PGPASSWORD"] = password;
        }
        psi.Environment["PGCONNECT_TIMEOUT"] = "10";
        return psi;
    }

    private static string? Password(BackupDeclaration d)
    {
        if (d.PasswordFile is { } file)
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }

        return d.PasswordEnv is not { } variable
            ? null
            : Environment.GetEnvironmentVariable(variable) ?? throw new BackupException($"the password variable {variable} is not set in the agent's environment");
    }

    /// <summary>Runs one SQL statement with psql and returns its unaligned output.</summary>
    public async Task<string> QueryAsync(BackupDeclaration d, string database, string sql, CancellationToken cancellationToken)
    {
        var psi = Command(d, "psql", "--no-psqlrc", "--tuples-only", "--no-align", "--set", "ON_ERROR_STOP=1", "--dbname", database, "--command", sql);
        await using var psql = ToolProcess.Start(psi);
        var output = await psql.Stdout.CopyToStringAsync(cancellationToken);
        await psql.WaitForSuccessAsync(cancellationToken);
        return output.Trim();
    }

    /// <summary>Quotes an identifier for SQL (database names chosen by operators).</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

internal static class StreamExtensions
{
    public static async Task<string> CopyToStringAsync(this Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Core.Registries;

namespace Fleet.Cli.Registries;

/// <summary>
/// A docker credential helper (<c>docker-credential-NAME get</c>, the server on stdin, JSON
/// <c>{"Username","Secret"}</c> on stdout), found on the PATH, as docker and crane run it.
/// </summary>
internal sealed partial class CredentialHelper(string name, IReadOnlyDictionary<string, string?> environment)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private string Program => $"docker-credential-{name}";

    /// <summary>The helper's credential for <paramref name="registry"/>, or null when it has none.</summary>
    public async Task<RegistryCredential?> GetAsync(string registry, string source, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new CliException($"{source}: '{name}' is not a credential helper name");
        }

        var start = new ProcessStartInfo(Find() ?? throw new CliException($"{source}: {Program} is not on the PATH"), "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new CliException($"{source}: cannot run {Program}: {ex.Message}", inner: ex);
        }

        // Docker Hub's credentials are stored under its historical URL, every other under the host.
        try
        {
            await process.StandardInput.WriteAsync(registry == RegistryHost.DockerHub ? "https://index.docker.io/v1/" : registry);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The helper exited without reading the server name (a broken pipe): its exit code and output below say why.
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new CliException($"{source}: {Program} did not answer within {Timeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            var text = ((await output) + (await error)).Trim();
            // The helpers' own wording for "nothing stored for this server".
            return text.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw new CliException($"{source}: {Program} failed with exit code {process.ExitCode}");
        }

        return Parse(await output, source);
    }

    private RegistryCredential Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var username = document.RootElement.GetProperty("Username").GetString();
            var secret = document.RootElement.GetProperty("Secret").GetString();
            if (string.IsNullOrEmpty(username) || secret is null)
            {
                throw new JsonException("Username or Secret is empty");
            }

            return username == "<token>"
                ? throw new CliException($"{source}: {Program} gave an identity token, which fleetctl does not use: give a user name and password (or access token) with {DockerConfigCredentials.OptionName}")
                : new RegistryCredential(username, secret, source);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Never the output itself: it holds the secret.
            throw new CliException($"{source}: {Program} did not answer with JSON Username and Secret", inner: ex);
        }
    }

    private string? Find() =>
        (environment.GetValueOrDefault("PATH") ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => System.IO.Path.Combine(folder, Program))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*\\z")]
    private static partial Regex NamePattern();
}

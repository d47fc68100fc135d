using Fleet.Core.Registries;
using Fleet.Core.Releases;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Registries;

/// <summary>The credentials of the agent's <c>Registries:Credentials</c> settings, each password read from its file when asked for.</summary>
internal sealed class AgentRegistryCredentials(IOptions<RegistriesOptions> options) : IRegistryCredentials
{
    public ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken)
    {
        var entries = options.Value.Credentials;
        var index = entries.FindIndex(e => RegistryHost.Normalize(e.Registry) == RegistryHost.Normalize(registry));
        if (index < 0)
        {
            return ValueTask.FromResult<RegistryCredential?>(null);
        }

        var entry = entries[index];
        var at = $"{RegistriesOptions.Section}:Credentials:{index}";
        if (PasswordFile.Problem(entry.PasswordFile) is { } problem)
        {
            // Checked at start too; this is a file changed since.
            throw new RegistryException(RegistryErrorKind.Unauthorized, $"the credentials for registry {registry} are unusable: {at}:PasswordFile {problem}");
        }

        var source = $"the password file {entry.PasswordFile} of {at} in the agent's settings";
        return ValueTask.FromResult<RegistryCredential?>(new RegistryCredential(entry.Username, PasswordFile.Read(entry.PasswordFile), source));
    }

    public string HowToProvide(string registry) =>
        $"add {{\"Registry\": \"{registry}\", \"Username\": …, \"PasswordFile\": …}} to {RegistriesOptions.Section}:Credentials in the agent's settings.json and restart it";
}

using System.CommandLine;
using Fleet.Core.Trust;

namespace Fleet.Cli.Keys;

/// <summary>The <c>--key NAME</c> option of signing commands and how it picks keys from the key folder.</summary>
internal static class SigningKeys
{
    public static Option<string[]> Option() => new("--key")
    {
        Description = "Sign with this key from the key folder (repeat for several; default: the only key that can sign)",
        HelpName = "NAME",
    };

    /// <summary>The named private keys, or the single one in the folder; the caller disposes them.</summary>
    public static List<OperatorKey> Load(CliRuntime runtime, string[]? names)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var store = runtime.Keys;
        if (names is not { Length: > 0 })
        {
            var signing = store.List().Where(k => File.Exists(Path.Combine(store.Directory, k.Name + ".key"))).Select(k => k.Name).ToList();
            names = signing.Count switch
            {
                1 => [signing[0]],
                0 => throw new CliException($"no signing key in {store.Directory}; run fleetctl keys generate --name NAME"),
                _ => throw CliException.Usage($"several keys can sign ({string.Join(", ", signing)}); choose with --key NAME"),
            };
        }

        return [.. names.Distinct(StringComparer.Ordinal).Select(name => KeysCommands.Run(() => store.LoadPrivate(name)))];
    }
}

using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Core.Trust;
using Spectre.Console;

namespace Fleet.Cli.Keys;

/// <summary><c>fleetctl keys generate --name N</c>, <c>keys import --name N FILE.pub</c>, <c>keys list</c>.</summary>
internal static class KeysCommands
{
    public static Command Create(CliRuntime runtime) => new("keys", "Operator signing keys (kept in the CLI's config folder)")
    {
        Generate(runtime),
        Import(runtime),
        List(runtime),
    };

    private static Command Generate(CliRuntime runtime)
    {
        var name = NameOption();
        var output = OutputOption.Create();
        var command = new Command("generate", "Create an ECDSA P-256 signing key; share the printed .pub file, never the .key") { name, output };
        command.SetAction(parse =>
        {
            var store = runtime.Keys;
            var key = Run(() => store.Generate(parse.GetRequiredValue(name)));
            Print(runtime, parse.GetValue(output), [ToJson(store, key)], single: true);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(CliRuntime runtime)
    {
        var name = NameOption();
        var file = new Argument<FileInfo>("FILE") { Description = "Another operator's public key PEM (their NAME.pub)" };
        var command = new Command("import", "Add another operator's public key so trust init can name it") { name, file };
        command.SetAction(parse =>
        {
            var store = runtime.Keys;
            var path = parse.GetRequiredValue(file).FullName;
            var key = Run(() => store.ImportPublic(parse.GetRequiredValue(name), File.ReadAllText(path)));
            runtime.Renderer.Line($"imported {key.Name} {key.KeyId}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliRuntime runtime)
    {
        var output = OutputOption.Create();
        var command = new Command("list", "List the keys in the key folder") { output };
        command.SetAction(parse =>
        {
            var store = runtime.Keys;
            var keys = store.List().Select(k => ToJson(store, k)).ToList();
            if (keys.Count == 0 && parse.GetValue(output) == OutputFormat.Table)
            {
                runtime.Renderer.Line("No keys yet; run fleetctl keys generate --name NAME.");
                return ExitCodes.Ok;
            }

            Print(runtime, parse.GetValue(output), keys, single: false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string> NameOption() => new("--name")
    {
        Description = "Key name: lowercase letters, digits, '.', '_' or '-'",
        HelpName = "NAME",
        Required = true,
    };

    private static KeyJson ToJson(OperatorKeyStore store, OperatorKeyInfo key) =>
        new(key.Name, key.KeyId, File.Exists(Path.Combine(store.Directory, key.Name + ".key")), Path.Combine(store.Directory, key.Name + ".pub"));

    private static void Print(CliRuntime runtime, OutputFormat format, List<KeyJson> keys, bool single)
    {
        if (format == OutputFormat.Json)
        {
            if (single)
            {
                runtime.Renderer.Json(keys[0], CliJsonContext.Output.KeyJson);
            }
            else
            {
                runtime.Renderer.Json(new KeyListJson(keys), CliJsonContext.Output.KeyListJson);
            }

            return;
        }

        var table = Renderer.Table("NAME", "KEY ID", "SIGNS", "PUBLIC KEY");
        foreach (var key in keys)
        {
            table.AddRow(new Text(key.Name), new Text(key.KeyId), new Text(key.CanSign ? "yes" : "no"), new Text(key.PublicKeyPath));
        }

        runtime.Renderer.Write(table);
    }

    /// <summary>Key store refusals (bad name, duplicate, unknown) as one operator line.</summary>
    internal static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DsseFormatException or IOException)
        {
            throw new CliException(ex.Message, inner: ex);
        }
    }
}

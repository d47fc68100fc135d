using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Keys;
using Fleet.Contracts.V1;
using Fleet.Core.Trust;

namespace Fleet.Cli.Trust;

/// <summary><c>fleetctl trust init …</c> writes a signed policy; <c>trust push FILE</c> installs it on the controller.</summary>
internal static class TrustCommands
{
    public static Command Create(CliRuntime runtime) => new("trust", "Trust policies: which operator keys may sign releases")
    {
        Init(runtime),
        Sign(runtime),
        Push(runtime),
    };

    private static Command Init(CliRuntime runtime)
    {
        var rootKeys = new Option<string[]>("--root-key") { Description = "A key that may sign the next policy (repeat)", HelpName = "NAME", Required = true, Arity = ArgumentArity.OneOrMore };
        var rootThreshold = new Option<int>("--root-threshold") { Description = "How many root keys must sign a new policy (default 1)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var environments = new Option<string[]>("--env")
        {
            Description = "Who signs releases for an environment: ENV=KEY[,KEY...]:THRESHOLD, e.g. production=alice,bob:2 (repeat)",
            HelpName = "RULE",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var maxValidity = new Option<string[]>("--max-validity")
        {
            Description = "The longest a release of an environment may be valid: ENV=DURATION, e.g. production=48h (repeat; default 7d)",
            HelpName = "ENV=DURATION",
        };
        var version = new Option<long>("--version") { Description = "Policy version; a rotation needs a higher one (default 1)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var signWith = new Option<string[]>("--sign-with")
        {
            Description = "Keys that sign the policy (repeat; default: every root key whose private key is here)",
            HelpName = "NAME",
        };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "Where to write the signed policy", HelpName = "FILE", Required = true };
        var command = new Command("init", "Write a signed trust policy file") { rootKeys, rootThreshold, environments, maxValidity, version, signWith, outFile };
        command.SetAction(parse =>
        {
            var store = runtime.Keys;
            var rules = parse.GetRequiredValue(environments).Select(ParseRule).ToList();
            var roots = parse.GetRequiredValue(rootKeys);
            var limits = ParseMaxValidity(parse.GetValue(maxValidity) ?? []);
            var policy = KeysCommands.Run(() => TrustPolicyBuilder.Build(
                parse.GetValue(version), roots, parse.GetValue(rootThreshold), rules, store.List(), maxValidity: limits));
            var signerNames = parse.GetValue(signWith) is { Length: > 0 } named
                ? named
                : [.. roots.Distinct(StringComparer.Ordinal).Where(name => File.Exists(Path.Combine(store.Directory, name + ".key")))];
            if (signerNames.Length == 0)
            {
                throw new CliException($"none of the root keys has its private key in {store.Directory}; pass --sign-with NAME");
            }

            var signers = signerNames.Select(name => KeysCommands.Run(() => store.LoadPrivate(name))).ToList();
            try
            {
                var path = parse.GetRequiredValue(outFile).FullName;
                File.WriteAllBytes(path, policy.Sign(signers).ToJson());
                runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture,
                    $"wrote trust policy v{policy.Version} to {path}, signed by {string.Join(", ", signerNames)} " +
                    $"({policy.Root.Threshold} of {policy.Root.KeyIds.Count} root keys needed)"));
            }
            finally
            {
                signers.ForEach(s => s.Dispose());
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sign(CliRuntime runtime)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A trust policy file (from trust init) to add your signature to" };
        var key = SigningKeys.Option();
        var command = new Command("sign", "Add your signature to a trust policy file, e.g. when its root needs several operators") { file, key };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(file).FullName;
            var envelope = KeysCommands.Run(() => DsseEnvelope.Parse(File.ReadAllBytes(path), TrustPolicy.PayloadType));
            var keys = SigningKeys.Load(runtime, parse.GetValue(key));
            try
            {
                foreach (var signer in keys.Where(k => !envelope.Signatures.Any(s => s.KeyId == k.KeyId)))
                {
                    envelope = envelope.AddSignature(signer);
                }
            }
            finally
            {
                keys.ForEach(k => k.Dispose());
            }

            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, envelope.ToJson());
            File.Move(temporary, path, overwrite: true);
            runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture, $"{path} now carries {envelope.Signatures.Count} signature(s)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Push(CliRuntime runtime)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A signed trust policy (from trust init)" };
        var command = new Command("push", "Install a trust policy on the controller (a rotation must be signed by the current root keys)") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file).FullName;
            var bytes = KeysCommands.Run(() => File.ReadAllBytes(path));
            SetTrustPolicyResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.SetTrustPolicyAsync(
                    new SetTrustPolicyRequest { Envelope = Google.Protobuf.ByteString.CopyFrom(bytes) }, cancellationToken);
            }

            runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture, $"trust policy v{response.Version} installed on the controller"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static EnvironmentRuleSpec ParseRule(string text)
    {
        try
        {
            return EnvironmentRuleSpec.Parse(text);
        }
        catch (FormatException ex)
        {
            throw CliException.Usage($"--env {ex.Message}");
        }
    }

    private static Dictionary<string, TimeSpan> ParseMaxValidity(string[] values)
    {
        var limits = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var text in values)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"--max-validity '{text}' is not ENV=DURATION, e.g. production=48h");
            }

            if (!Parsing.Duration.TryParse(text[(equals + 1)..], out var duration, out var error))
            {
                throw CliException.Usage($"--max-validity {error}");
            }

            if (!limits.TryAdd(text[..equals], duration))
            {
                throw CliException.Usage($"--max-validity gives '{text[..equals]}' more than once");
            }
        }

        return limits;
    }
}

using System.CommandLine;
using Fleet.Cli.Deploy;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Secrets;
using Google.Protobuf;

namespace Fleet.Cli.Secrets;

/// <summary><c>fleetctl secrets set APP NAME --env ENV [--from-file FILE]</c>.</summary>
internal static partial class SecretsCommands
{
    private static Command Set(CliRuntime runtime)
    {
        var app = AppArgument();
        var name = NameArgument();
        var environment = DeployCommand.EnvironmentOption();
        var fromFile = new Option<FileInfo?>("--from-file") { Description = "Read the value from this file (exact bytes) instead of stdin", HelpName = "FILE" };
        var recoveryKey = RecoveryKeyOption();
        var output = OutputOption.Create();
        var command = new Command("set", "Seal a new version of a secret for every agent of the environment and the recovery key; the value is read from stdin or --from-file")
        {
            app, name, environment, fromFile, recoveryKey, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (appName, env, secretName) = (parse.GetRequiredValue(app), parse.GetRequiredValue(environment), parse.GetRequiredValue(name));
            RequireNames(appName, env, secretName);
            SecretValue secret;
            try
            {
                secret = SecretValue.Create(ReadValue(parse.GetValue(fromFile)));
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message, inner: ex);
            }

            var (recoveryName, recovery) = Recovery(runtime).Load(parse.GetValue(recoveryKey));
            using (recovery)
            {
                var version = secret.Version(appName, env, secretName);
                var request = new PutSecretRequest { App = appName, Environment = env, Name = secretName, Version = version };
                var recoveryPublic = EncryptionKeys.PublicKey(recovery);
                request.Copies.Add(Copy(appName, env, secretName, version, "", recoveryPublic, secret));
                using var api = runtime.Connect(parse);
                var agents = (await api.ListAgentsAsync(new ListAgentsRequest { LabelSelector = { ["env"] = env } }, cancellationToken)).Agents
                    .Where(a => a.State != AgentState.Revoked).ToList();
                foreach (var agent in agents)
                {
                    if (agent.EncryptionPublicKey.IsEmpty)
                    {
                        runtime.Error.WriteLine($"warning: agent {agent.Name} has not registered an encryption key yet; run 'fleetctl secrets grant {agent.Name}' once it has connected");
                        continue;
                    }

                    request.Copies.Add(Copy(appName, env, secretName, version, agent.AgentId, agent.EncryptionPublicKey.ToByteArray(), secret));
                }

                var response = await api.PutSecretAsync(request, cancellationToken);
                if (parse.GetValue(output) == OutputFormat.Json)
                {
                    runtime.Renderer.Json(ToJson(response.Secret), CliJsonContext.Output.SecretJson);
                }
                else
                {
                    var sealedFor = agents.Where(a => !a.EncryptionPublicKey.IsEmpty).Select(a => a.Name).ToList();
                    runtime.Renderer.Line($"secret {secretName} of {appName} in {env}: version {version[..12]}, sealed for " +
                        (sealedFor.Count == 0 ? "no agent yet" : string.Join(", ", sealedFor)) + $" and recovery key {recoveryName}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static SealedCopy Copy(string app, string environment, string name, string version, string agentId, byte[] publicKey, SecretValue secret)
    {
        try
        {
            return new SealedCopy
            {
                App = app,
                Environment = environment,
                Name = name,
                Version = version,
                AgentId = agentId,
                KeyFingerprint = EncryptionKeys.Fingerprint(publicKey),
                Ciphertext = ByteString.CopyFrom(secret.SealFor(publicKey, app, environment, name)),
            };
        }
        catch (SecretSealException ex)
        {
            throw new CliException(agentId.Length == 0 ? ex.Message : $"agent {agentId}: {ex.Message}", inner: ex);
        }
    }

    private static void RequireNames(string app, string environment, string name)
    {
        if (!ReleaseValidator.IsValidName(app) || !ReleaseValidator.IsValidName(environment))
        {
            throw CliException.Usage("the app and --env must be 1-63 lowercase letters, digits or '-'");
        }

        if (!ReleaseValidator.IsValidSecretName(name))
        {
            throw CliException.Usage($"'{name}' is not a secret name: 1-64 of A-Z a-z 0-9 _ . -, starting with a letter, digit or '_'");
        }
    }

    // Exact bytes: a trailing newline is part of the value (use printf, not echo).
    private static byte[] ReadValue(FileInfo? file)
    {
        if (file is not null)
        {
            try
            {
                return file.Length > SecretValue.MaxBytes
                    ? throw new CliException($"{file.Name} is {file.Length} bytes; a secret is at most {SecretValue.MaxBytes}")
                    : File.ReadAllBytes(file.FullName);
            }
            catch (IOException ex)
            {
                throw new CliException($"cannot read {file.Name}: {ex.Message}", inner: ex);
            }
        }

        if (!Console.IsInputRedirected)
        {
            throw CliException.Usage("pipe the value on stdin (printf '%s' \"$VALUE\" | fleetctl secrets set …) or pass --from-file FILE");
        }

        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }
}

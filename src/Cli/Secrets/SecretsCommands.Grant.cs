using System.CommandLine;
using Fleet.Cli.Agents;
using Fleet.Contracts.V1;
using Fleet.Core.Secrets;
using Google.Protobuf;

namespace Fleet.Cli.Secrets;

/// <summary>
/// <c>fleetctl secrets grant AGENT</c>: opens the recovery copies of the agent's environment here,
/// with the recovery key, and seals each version for the agent's key. The controller cannot do
/// this: it holds neither key.
/// </summary>
internal static partial class SecretsCommands
{
    private static Command Grant(CliRuntime runtime)
    {
        var agentName = AgentNames.CreateArgument();
        var recoveryKey = RecoveryKeyOption();
        var command = new Command("grant", "Seal every secret version of the agent's environment for that agent (e.g. newly enrolled)") { agentName, recoveryKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = runtime.Connect(parse);
            var agent = (await api.GetAgentAsync(new GetAgentRequest { Name = parse.GetRequiredValue(agentName) }, cancellationToken)).Agent;
            if (agent.State == AgentState.Revoked)
            {
                throw new CliException($"agent {agent.Name} is revoked");
            }

            if (!agent.Labels.TryGetValue("env", out var environment))
            {
                throw new CliException($"agent {agent.Name} has no env label, so it belongs to no environment");
            }

            if (agent.EncryptionPublicKey.IsEmpty)
            {
                throw new CliException($"agent {agent.Name} has not registered an encryption key yet: start (or upgrade) it so that it connects once, then grant again");
            }

            var agentKey = agent.EncryptionPublicKey.ToByteArray();
            var (recoveryName, recovery) = Recovery(runtime).Load(parse.GetValue(recoveryKey));
            var request = new AddSealedCopiesRequest();
            using (recovery)
            {
                var copies = (await api.GetRecoveryCopiesAsync(
                    new GetRecoveryCopiesRequest { Environment = environment, KeyFingerprint = EncryptionKeys.Fingerprint(EncryptionKeys.PublicKey(recovery)) },
                    cancellationToken)).Copies;
                foreach (var copy in copies)
                {
                    SecretValue value;
                    try
                    {
                        value = SecretValue.Open(recovery, new SecretContext(copy.App, copy.Environment, copy.Name, copy.Version), copy.Ciphertext.Span);
                    }
                    catch (SecretSealException ex)
                    {
                        throw new CliException($"secret {copy.Name} of {copy.App}: {ex.Message}", inner: ex);
                    }

                    request.Copies.Add(new SealedCopy
                    {
                        App = copy.App,
                        Environment = copy.Environment,
                        Name = copy.Name,
                        Version = copy.Version,
                        AgentId = agent.AgentId,
                        KeyFingerprint = EncryptionKeys.Fingerprint(agentKey),
                        Ciphertext = ByteString.CopyFrom(value.SealFor(agentKey, copy.App, copy.Environment, copy.Name)),
                    });
                }
            }

            if (request.Copies.Count == 0)
            {
                runtime.Renderer.Line($"no secret of {environment} is sealed for recovery key {recoveryName}; nothing to grant");
                return ExitCodes.Ok;
            }

            var added = (await api.AddSealedCopiesAsync(request, cancellationToken)).Added;
            runtime.Renderer.Line($"granted {request.Copies.Count} secret versions of {environment} to {agent.Name} ({added} new, {request.Copies.Count - added} already held)");
            return ExitCodes.Ok;
        });
        return command;
    }
}

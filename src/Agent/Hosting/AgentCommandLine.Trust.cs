using System.CommandLine;
using Fleet.Agent.Trust;
using Fleet.Core.Trust;

namespace Fleet.Agent.Hosting;

internal sealed partial class AgentCommandLine
{
    /// <summary>Clock used to check a policy's expiry; tests replace it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    private Command TrustCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "Signed trust policy (fleetctl trust init … -o trust.json)" };
        var stateDir = StateDirOption();
        var install = new Command("install", "Install or rotate this agent's trust policy") { file, stateDir };
        install.SetAction((result, cancellationToken) =>
            InstallTrustAsync(result.GetRequiredValue(file), result.GetRequiredValue(stateDir), cancellationToken));
        return new Command("trust", "Manage the keys this agent trusts for releases") { install };
    }

    private async Task<int> InstallTrustAsync(FileInfo file, string stateDir, CancellationToken cancellationToken)
    {
        byte[] candidate;
        try
        {
            candidate = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Error.WriteLineAsync($"error: cannot read {file.FullName}: {ex.Message}");
            return 1;
        }

        var trust = new AgentTrust(stateDir);
        TrustPolicyDecision decision;
        try
        {
            decision = trust.Install(candidate, Time.GetUtcNow());
        }
        catch (DsseFormatException ex)
        {
            await Error.WriteLineAsync($"error: the installed trust policy {trust.Path} is damaged: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Error.WriteLineAsync($"error: cannot write {trust.Path}: {ex.Message}");
            return 1;
        }

        if (!decision.IsAccepted)
        {
            await Error.WriteLineAsync($"error: trust policy refused ({decision.Refusal}): {decision.Message}");
            return 1;
        }

        await Out.WriteLineAsync($"{decision.Message}; written to {trust.Path}");
        return 0;
    }
}

using System.CommandLine;
using Fleet.Agent.Identity;

namespace Fleet.Agent.Hosting;

internal sealed partial class AgentCommandLine
{
    private async Task<int> EnrollAsync(ParseResult result, Option<string> stateDir, CancellationToken cancellationToken)
    {
        var request = ToRequest(result, stateDir);
        try
        {
            var enrolled = await new Enroller().EnrollAsync(request, cancellationToken);
            await Out.WriteLineAsync(
                $"enrolled '{enrolled.Name}' as agent {enrolled.AgentId}; identity written to {enrolled.StateDir}; " +
                $"certificate valid until {enrolled.CertificateNotAfter:u}. Start the agent with 'fleet-agent run'.");
            return 0;
        }
        catch (EnrollmentException ex)
        {
            await Error.WriteLineAsync($"error: enrollment failed: {ex.Message}");
            return 1;
        }
    }

    private async Task<int> RunAsync(AgentRunOptions options, CancellationToken cancellationToken)
    {
        IHost host;
        try
        {
            host = AgentHost.Create(options);
        }
        catch (InvalidOperationException ex)
        {
            await Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }

        using (host)
        {
            await host.RunAsync(cancellationToken);
        }

        return 0;
    }
}

using System.Net;
using Fleet.Agent.Acme.Dns01;

namespace Fleet.Agent.Acme;

/// <summary>The solver a declaration asks for: the shared HTTP-01 responder, or DNS-01 against its zone's server.</summary>
internal sealed class ChallengeSolverFactory(Http01Responder responder, TimeProvider time, ILoggerFactory loggers)
{
    public IChallengeSolver Create(ChallengeDeclaration challenge)
    {
        if (challenge.Type != ChallengeDeclaration.Dns01)
        {
            return new Http01Solver(responder);
        }

        var server = IPEndPoint.Parse(challenge.Server!);
        var key = TsigKey.FromFile(challenge.TsigKeyName!, challenge.TsigSecretFile!);
        return new Dns01Solver(
            new DnsUpdateClient(server, challenge.Zone!, key, time),
            new DnsTxtProbe(server, time),
            loggers.CreateLogger<Dns01Solver>());
    }
}

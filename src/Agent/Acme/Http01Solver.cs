namespace Fleet.Agent.Acme;

/// <summary>HTTP-01: the key authorization is served by the <see cref="Http01Responder"/>.</summary>
internal sealed class Http01Solver(Http01Responder responder) : IChallengeSolver
{
    public string ChallengeType => "http-01";

    public async Task<IAsyncDisposable> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        await responder.StartAsync(cancellationToken);
        responder.Add(token, keyAuthorization);
        return new Removal(responder, token);
    }

    private sealed class Removal(Http01Responder responder, string token) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            responder.Remove(token);
            return ValueTask.CompletedTask;
        }
    }
}

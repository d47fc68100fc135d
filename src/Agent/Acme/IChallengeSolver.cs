namespace Fleet.Agent.Acme;

/// <summary>Makes one ACME challenge answerable, and takes the answer down again when disposed.</summary>
internal interface IChallengeSolver
{
    /// <summary>"http-01" or "dns-01".</summary>
    string ChallengeType { get; }

    Task<IAsyncDisposable> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken);
}

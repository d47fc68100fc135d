using Fleet.Contracts.V1;

namespace Fleet.Cli.Connection;

/// <summary>
/// The controller's operator API as fleetctl uses it. Failures surface as <see cref="CliException"/>
/// with an operator-facing message.
/// </summary>
internal interface IFleetApi : IDisposable
{
    /// <summary>Deadline of backup run, restore and verify calls: they last as long as the dump or restore.</summary>
    static readonly TimeSpan BackupCommandTimeout = TimeSpan.FromHours(2);

    Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken);

    Task<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken);

    Task<ListAgentsResponse> ListAgentsAsync(ListAgentsRequest request, CancellationToken cancellationToken);

    Task<GetAgentResponse> GetAgentAsync(GetAgentRequest request, CancellationToken cancellationToken);

    Task<RevokeAgentResponse> RevokeAgentAsync(RevokeAgentRequest request, CancellationToken cancellationToken);

    Task<GetFleetStatusResponse> GetFleetStatusAsync(GetFleetStatusRequest request, CancellationToken cancellationToken);
    Task<SetTrustPolicyResponse> SetTrustPolicyAsync(SetTrustPolicyRequest request, CancellationToken cancellationToken);

    Task<GetTrustPolicyResponse> GetTrustPolicyAsync(GetTrustPolicyRequest request, CancellationToken cancellationToken);

    Task<SubmitReleaseResponse> SubmitReleaseAsync(SubmitReleaseRequest request, CancellationToken cancellationToken);

    Task<ApproveReleaseResponse> ApproveReleaseAsync(ApproveReleaseRequest request, CancellationToken cancellationToken);

    Task<ListReleasesResponse> ListReleasesAsync(ListReleasesRequest request, CancellationToken cancellationToken);

    Task<GetReleaseResponse> GetReleaseAsync(GetReleaseRequest request, CancellationToken cancellationToken);

    Task<GetNextSequenceResponse> GetNextSequenceAsync(GetNextSequenceRequest request, CancellationToken cancellationToken);

    Task<GetRolloutResponse> GetRolloutAsync(GetRolloutRequest request, CancellationToken cancellationToken);

    Task<Rollout> PauseRolloutAsync(string rolloutId, CancellationToken cancellationToken);

    Task<Rollout> ResumeRolloutAsync(string rolloutId, CancellationToken cancellationToken);

    Task<Rollout> AbortRolloutAsync(string rolloutId, CancellationToken cancellationToken);

    Task<Rollout> PromoteRolloutAsync(string rolloutId, CancellationToken cancellationToken);

    Task<ListCertificatesResponse> ListCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken);

    /// <summary>Waits as long as the agent's renewal takes (up to the controller's limit), not the usual call deadline.</summary>
    Task<ForceRenewalResponse> ForceRenewalAsync(ForceRenewalRequest request, CancellationToken cancellationToken);
    Task<ListBackupsResponse> ListBackupsAsync(ListBackupsRequest request, CancellationToken cancellationToken);

    /// <summary>Runs on the agent; the call waits up to <see cref="BackupCommandTimeout"/> for it.</summary>
    Task<RunBackupResponse> RunBackupAsync(RunBackupRequest request, CancellationToken cancellationToken);

    Task<RestoreBackupResponse> RestoreBackupAsync(RestoreBackupRequest request, CancellationToken cancellationToken);

    Task<VerifyBackupResponse> VerifyBackupAsync(VerifyBackupRequest request, CancellationToken cancellationToken);

    Task<PutSecretResponse> PutSecretAsync(PutSecretRequest request, CancellationToken cancellationToken);

    Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken);

    Task<RemoveSecretResponse> RemoveSecretAsync(RemoveSecretRequest request, CancellationToken cancellationToken);

    Task<GetRecoveryCopiesResponse> GetRecoveryCopiesAsync(GetRecoveryCopiesRequest request, CancellationToken cancellationToken);

    Task<AddSealedCopiesResponse> AddSealedCopiesAsync(AddSealedCopiesRequest request, CancellationToken cancellationToken);

    Task<ListTokensResponse> ListTokensAsync(ListTokensRequest request, CancellationToken cancellationToken);

    Task<RevokeTokenResponse> RevokeTokenAsync(RevokeTokenRequest request, CancellationToken cancellationToken);

    Task<ListEventsResponse> ListEventsAsync(ListEventsRequest request, CancellationToken cancellationToken);

    Task<AddWebhookResponse> AddWebhookAsync(AddWebhookRequest request, CancellationToken cancellationToken);

    Task<ListWebhooksResponse> ListWebhooksAsync(ListWebhooksRequest request, CancellationToken cancellationToken);

    Task<RemoveWebhookResponse> RemoveWebhookAsync(RemoveWebhookRequest request, CancellationToken cancellationToken);

    Task<TestWebhookResponse> TestWebhookAsync(TestWebhookRequest request, CancellationToken cancellationToken);

    /// <summary>The rollout after every change until it ends (no call deadline: it lasts as long as the rollout).</summary>
    IAsyncEnumerable<Rollout> WatchRolloutAsync(string rolloutId, CancellationToken cancellationToken);
}

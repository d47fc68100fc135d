using Fleet.Cli.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Support;

/// <summary>Answers with canned responses and records what it was asked.</summary>
internal sealed class FakeFleetApi : IFleetApi
{
    public WhoAmIResponse WhoAmI { get; set; } = new() { TokenId = "0123456789abcdef", Role = TokenRole.Admin };

    public CreateTokenResponse CreatedToken { get; set; } = new();

    public ListAgentsResponse Agents { get; set; } = new();

    public GetAgentResponse Agent { get; set; } = new();

    public RevokeAgentResponse Revoked { get; set; } = new();

    public GetFleetStatusResponse FleetStatus { get; set; } = new();

    public SetTrustPolicyResponse TrustSet { get; set; } = new();

    public GetTrustPolicyResponse Trust { get; set; } = new();

    public SubmitReleaseResponse Submitted { get; set; } = new();

    public ApproveReleaseResponse Approved { get; set; } = new();

    public ListReleasesResponse Releases { get; set; } = new();

    public GetReleaseResponse Release { get; set; } = new();

    public GetNextSequenceResponse NextSequence { get; set; } = new() { Sequence = 1 };

    public GetRolloutResponse Rollout { get; set; } = new();

    public ListCertificatesResponse Certificates { get; set; } = new();

    public ForceRenewalResponse Renewed { get; set; } = new();
    public ListBackupsResponse Backups { get; set; } = new();

    public RunBackupResponse BackupRun { get; set; } = new();

    public RestoreBackupResponse BackupRestored { get; set; } = new();

    public VerifyBackupResponse BackupVerified { get; set; } = new();

    public ListTokensResponse Tokens { get; set; } = new();

    public RevokeTokenResponse TokenRevoked { get; set; } = new();

    public ListEventsResponse Events { get; set; } = new();

    public AddWebhookResponse WebhookAdded { get; set; } = new();

    public ListWebhooksResponse Webhooks { get; set; } = new();

    public TestWebhookResponse WebhookTested { get; set; } = new();

    /// <summary>What WatchRolloutAsync yields, in order.</summary>
    public List<Rollout> WatchUpdates { get; } = [];

    /// <summary>When set, every call throws it.</summary>
    public Exception? Failure { get; set; }

    public List<object> Requests { get; } = [];

    public bool Disposed { get; private set; }

    public Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken) => Answer(new WhoAmIRequest(), WhoAmI);

    public Task<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken) => Answer(request, CreatedToken);

    public Task<ListAgentsResponse> ListAgentsAsync(ListAgentsRequest request, CancellationToken cancellationToken) => Answer(request, Agents);

    public Task<GetAgentResponse> GetAgentAsync(GetAgentRequest request, CancellationToken cancellationToken) => Answer(request, Agent);

    public Task<RevokeAgentResponse> RevokeAgentAsync(RevokeAgentRequest request, CancellationToken cancellationToken) => Answer(request, Revoked);

    public Task<GetFleetStatusResponse> GetFleetStatusAsync(GetFleetStatusRequest request, CancellationToken cancellationToken) => Answer(request, FleetStatus);

    public Task<SetTrustPolicyResponse> SetTrustPolicyAsync(SetTrustPolicyRequest request, CancellationToken cancellationToken) => Answer(request, TrustSet);

    public Task<GetTrustPolicyResponse> GetTrustPolicyAsync(GetTrustPolicyRequest request, CancellationToken cancellationToken) => Answer(request, Trust);

    public Task<SubmitReleaseResponse> SubmitReleaseAsync(SubmitReleaseRequest request, CancellationToken cancellationToken) => Answer(request, Submitted);

    public Task<ApproveReleaseResponse> ApproveReleaseAsync(ApproveReleaseRequest request, CancellationToken cancellationToken) => Answer(request, Approved);

    public Task<ListReleasesResponse> ListReleasesAsync(ListReleasesRequest request, CancellationToken cancellationToken) => Answer(request, Releases);

    public Task<GetReleaseResponse> GetReleaseAsync(GetReleaseRequest request, CancellationToken cancellationToken) => Answer(request, Release);

    public Task<GetNextSequenceResponse> GetNextSequenceAsync(GetNextSequenceRequest request, CancellationToken cancellationToken) => Answer(request, NextSequence);

    public Task<GetRolloutResponse> GetRolloutAsync(GetRolloutRequest request, CancellationToken cancellationToken) => Answer(request, Rollout);

    public Task<Rollout> PauseRolloutAsync(string rolloutId, CancellationToken cancellationToken) => Answer(new PauseRolloutRequest { RolloutId = rolloutId }, Rollout.Rollout);

    public Task<Rollout> ResumeRolloutAsync(string rolloutId, CancellationToken cancellationToken) => Answer(new ResumeRolloutRequest { RolloutId = rolloutId }, Rollout.Rollout);

    public Task<Rollout> AbortRolloutAsync(string rolloutId, CancellationToken cancellationToken) => Answer(new AbortRolloutRequest { RolloutId = rolloutId }, Rollout.Rollout);

    public Task<Rollout> PromoteRolloutAsync(string rolloutId, CancellationToken cancellationToken) => Answer(new PromoteRolloutRequest { RolloutId = rolloutId }, Rollout.Rollout);

    public Task<ListCertificatesResponse> ListCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken) => Answer(request, Certificates);

    public Task<ForceRenewalResponse> ForceRenewalAsync(ForceRenewalRequest request, CancellationToken cancellationToken) => Answer(request, Renewed);
    public ListSecretsResponse Secrets { get; set; } = new();

    public Task<PutSecretResponse> PutSecretAsync(PutSecretRequest request, CancellationToken cancellationToken) => Answer(request, new PutSecretResponse());

    public Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken) => Answer(request, Secrets);

    public Task<RemoveSecretResponse> RemoveSecretAsync(RemoveSecretRequest request, CancellationToken cancellationToken) => Answer(request, new RemoveSecretResponse());

    public Task<GetRecoveryCopiesResponse> GetRecoveryCopiesAsync(GetRecoveryCopiesRequest request, CancellationToken cancellationToken) =>
        Answer(request, new GetRecoveryCopiesResponse());

    public Task<AddSealedCopiesResponse> AddSealedCopiesAsync(AddSealedCopiesRequest request, CancellationToken cancellationToken) =>
        Answer(request, new AddSealedCopiesResponse());

    public Task<ListTokensResponse> ListTokensAsync(ListTokensRequest request, CancellationToken cancellationToken) => Answer(request, Tokens);

    public Task<RevokeTokenResponse> RevokeTokenAsync(RevokeTokenRequest request, CancellationToken cancellationToken) => Answer(request, TokenRevoked);

    public Task<ListEventsResponse> ListEventsAsync(ListEventsRequest request, CancellationToken cancellationToken) => Answer(request, Events);

    public Task<AddWebhookResponse> AddWebhookAsync(AddWebhookRequest request, CancellationToken cancellationToken) => Answer(request, WebhookAdded);

    public Task<ListWebhooksResponse> ListWebhooksAsync(ListWebhooksRequest request, CancellationToken cancellationToken) => Answer(request, Webhooks);

    public Task<RemoveWebhookResponse> RemoveWebhookAsync(RemoveWebhookRequest request, CancellationToken cancellationToken) => Answer(request, new RemoveWebhookResponse());

    public Task<TestWebhookResponse> TestWebhookAsync(TestWebhookRequest request, CancellationToken cancellationToken) => Answer(request, WebhookTested);

    public Task<ListBackupsResponse> ListBackupsAsync(ListBackupsRequest request, CancellationToken cancellationToken) => Answer(request, Backups);

    public Task<RunBackupResponse> RunBackupAsync(RunBackupRequest request, CancellationToken cancellationToken) => Answer(request, BackupRun);

    public Task<RestoreBackupResponse> RestoreBackupAsync(RestoreBackupRequest request, CancellationToken cancellationToken) => Answer(request, BackupRestored);

    public Task<VerifyBackupResponse> VerifyBackupAsync(VerifyBackupRequest request, CancellationToken cancellationToken) => Answer(request, BackupVerified);

    public async IAsyncEnumerable<Rollout> WatchRolloutAsync(string rolloutId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Answer(new WatchRolloutRequest { RolloutId = rolloutId }, 0);
        foreach (var update in WatchUpdates)
        {
            yield return update;
        }
    }

    public void Dispose() => Disposed = true;

    private Task<T> Answer<T>(object request, T response)
    {
        Requests.Add(request);
        return Failure is null ? Task.FromResult(response) : Task.FromException<T>(Failure);
    }
}

using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Fleet.Cli.Connection;

/// <summary>
/// The generated gRPC clients over one pinned channel. Every call carries
/// <c>authorization: Bearer &lt;token&gt;</c> and a deadline; failures become one clear line.
/// </summary>
internal sealed partial class GrpcFleetApi : IFleetApi
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Beyond the controller's own 5 min limit for a forced renewal, so its answer arrives first.</summary>
    private static readonly TimeSpan RenewalTimeout = TimeSpan.FromMinutes(6);

    private readonly Uri _controller;
    private readonly TimeProvider _time;
    private readonly PinnedServerValidator _validator;
    private readonly GrpcChannel _channel;
    private readonly TokensService.TokensServiceClient _tokens;
    private readonly AgentsService.AgentsServiceClient _agents;
    private readonly FleetService.FleetServiceClient _fleet;
    private readonly TrustService.TrustServiceClient _trust;
    private readonly ReleasesService.ReleasesServiceClient _releases;
    private readonly RolloutsService.RolloutsServiceClient _rollouts;
    private readonly CertificatesService.CertificatesServiceClient _certificates;
    private readonly BackupsService.BackupsServiceClient _backups;
    private readonly SecretsService.SecretsServiceClient _secrets;
    private readonly AuditService.AuditServiceClient _audit;
    private readonly WebhooksService.WebhooksServiceClient _webhooks;

    public GrpcFleetApi(Uri controller, string caPin, string token, TimeProvider time)
    {
        _controller = controller;
        _time = time;
        _validator = new PinnedServerValidator([caPin]);
        _channel = PinnedChannel.Create(controller, _validator);
        var authorization = $"Bearer {token}";
        var invoker = _channel.Intercept(metadata =>
        {
            metadata.Add("authorization", authorization);
            return metadata;
        });
        _tokens = new TokensService.TokensServiceClient(invoker);
        _agents = new AgentsService.AgentsServiceClient(invoker);
        _fleet = new FleetService.FleetServiceClient(invoker);
        _trust = new TrustService.TrustServiceClient(invoker);
        _releases = new ReleasesService.ReleasesServiceClient(invoker);
        _rollouts = new RolloutsService.RolloutsServiceClient(invoker);
        _certificates = new CertificatesService.CertificatesServiceClient(invoker);
        _backups = new BackupsService.BackupsServiceClient(invoker);
        _secrets = new SecretsService.SecretsServiceClient(invoker);
        _audit = new AuditService.AuditServiceClient(invoker);
        _webhooks = new WebhooksService.WebhooksServiceClient(invoker);
    }

    public Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken) =>
        CallAsync(o => _fleet.WhoAmIAsync(new WhoAmIRequest(), o), cancellationToken);

    public Task<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _tokens.CreateTokenAsync(request, o), cancellationToken);

    public Task<ListAgentsResponse> ListAgentsAsync(ListAgentsRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _agents.ListAgentsAsync(request, o), cancellationToken);

    public Task<GetAgentResponse> GetAgentAsync(GetAgentRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _agents.GetAgentAsync(request, o), cancellationToken);

    public Task<RevokeAgentResponse> RevokeAgentAsync(RevokeAgentRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _agents.RevokeAgentAsync(request, o), cancellationToken);

    public Task<GetFleetStatusResponse> GetFleetStatusAsync(GetFleetStatusRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _fleet.GetFleetStatusAsync(request, o), cancellationToken);

    public Task<SetTrustPolicyResponse> SetTrustPolicyAsync(SetTrustPolicyRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _trust.SetTrustPolicyAsync(request, o), cancellationToken);

    public Task<GetTrustPolicyResponse> GetTrustPolicyAsync(GetTrustPolicyRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _trust.GetTrustPolicyAsync(request, o), cancellationToken);

    public Task<SubmitReleaseResponse> SubmitReleaseAsync(SubmitReleaseRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _releases.SubmitReleaseAsync(request, o), cancellationToken);

    public Task<ApproveReleaseResponse> ApproveReleaseAsync(ApproveReleaseRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _releases.ApproveReleaseAsync(request, o), cancellationToken);

    public Task<ListReleasesResponse> ListReleasesAsync(ListReleasesRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _releases.ListReleasesAsync(request, o), cancellationToken);

    public Task<GetReleaseResponse> GetReleaseAsync(GetReleaseRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _releases.GetReleaseAsync(request, o), cancellationToken);

    public Task<GetNextSequenceResponse> GetNextSequenceAsync(GetNextSequenceRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _releases.GetNextSequenceAsync(request, o), cancellationToken);

    public Task<GetRolloutResponse> GetRolloutAsync(GetRolloutRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _rollouts.GetRolloutAsync(request, o), cancellationToken);

    public async Task<Rollout> PauseRolloutAsync(string rolloutId, CancellationToken cancellationToken) =>
        (await CallAsync(o => _rollouts.PauseRolloutAsync(new PauseRolloutRequest { RolloutId = rolloutId }, o), cancellationToken)).Rollout;

    public async Task<Rollout> ResumeRolloutAsync(string rolloutId, CancellationToken cancellationToken) =>
        (await CallAsync(o => _rollouts.ResumeRolloutAsync(new ResumeRolloutRequest { RolloutId = rolloutId }, o), cancellationToken)).Rollout;

    public async Task<Rollout> AbortRolloutAsync(string rolloutId, CancellationToken cancellationToken) =>
        (await CallAsync(o => _rollouts.AbortRolloutAsync(new AbortRolloutRequest { RolloutId = rolloutId }, o), cancellationToken)).Rollout;

    public async Task<Rollout> PromoteRolloutAsync(string rolloutId, CancellationToken cancellationToken) =>
        (await CallAsync(o => _rollouts.PromoteRolloutAsync(new PromoteRolloutRequest { RolloutId = rolloutId }, o), cancellationToken)).Rollout;

    public Task<ListCertificatesResponse> ListCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _certificates.ListCertificatesAsync(request, o), cancellationToken);

    public Task<ForceRenewalResponse> ForceRenewalAsync(ForceRenewalRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _certificates.ForceRenewalAsync(request, o), cancellationToken, RenewalTimeout);
    public Task<ListBackupsResponse> ListBackupsAsync(ListBackupsRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _backups.ListBackupsAsync(request, o), cancellationToken);

    public Task<RunBackupResponse> RunBackupAsync(RunBackupRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _backups.RunBackupAsync(request, o), cancellationToken, IFleetApi.BackupCommandTimeout);

    public Task<RestoreBackupResponse> RestoreBackupAsync(RestoreBackupRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _backups.RestoreBackupAsync(request, o), cancellationToken, IFleetApi.BackupCommandTimeout);

    public Task<VerifyBackupResponse> VerifyBackupAsync(VerifyBackupRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _backups.VerifyBackupAsync(request, o), cancellationToken, IFleetApi.BackupCommandTimeout);

    public Task<ListTokensResponse> ListTokensAsync(ListTokensRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _tokens.ListTokensAsync(request, o), cancellationToken);

    public Task<RevokeTokenResponse> RevokeTokenAsync(RevokeTokenRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _tokens.RevokeTokenAsync(request, o), cancellationToken);

    public Task<ListEventsResponse> ListEventsAsync(ListEventsRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _audit.ListEventsAsync(request, o), cancellationToken);

    public Task<AddWebhookResponse> AddWebhookAsync(AddWebhookRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _webhooks.AddWebhookAsync(request, o), cancellationToken);

    public Task<ListWebhooksResponse> ListWebhooksAsync(ListWebhooksRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _webhooks.ListWebhooksAsync(request, o), cancellationToken);

    public Task<RemoveWebhookResponse> RemoveWebhookAsync(RemoveWebhookRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _webhooks.RemoveWebhookAsync(request, o), cancellationToken);

    public Task<TestWebhookResponse> TestWebhookAsync(TestWebhookRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _webhooks.TestWebhookAsync(request, o), cancellationToken);

    public async IAsyncEnumerable<Rollout> WatchRolloutAsync(string rolloutId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _rollouts.WatchRollout(new WatchRolloutRequest { RolloutId = rolloutId }, cancellationToken: cancellationToken);
        while (true)
        {
            WatchRolloutResponse current;
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken))
                {
                    yield break;
                }

                current = call.ResponseStream.Current;
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                throw new CliException(RpcErrors.Describe(ex, _controller, _validator.LastFailure, CallTimeout), inner: ex);
            }

            yield return current.Rollout;
        }
    }

    public void Dispose() => _channel.Dispose();

    private async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? CallTimeout;
        var options = new CallOptions(
            deadline: (_time.GetUtcNow() + limit).UtcDateTime,
            cancellationToken: cancellationToken);
        try
        {
            using var pending = call(options);
            return await pending.ResponseAsync;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(RpcErrors.Describe(ex, _controller, _validator.LastFailure, limit), inner: ex);
        }
    }
}

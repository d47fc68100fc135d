using Fleet.Agent.Connection;
using Grpc.Core;

namespace Fleet.Agent.Identity;

/// <summary>
/// Renews the client certificate with a new key at a jittered 70–90 % of its lifetime, without a
/// restart: the new certificate is saved, then swapped in for new TLS connections.
/// </summary>
internal sealed partial class CertificateRenewer(
    AgentCredentials credentials,
    IdentityStore store,
    ICertificateRenewalClient client,
    TimeProvider time,
    ILogger<CertificateRenewer> logger,
    Random? random = null) : BackgroundService
{
    // Long waits are cut so a clock change or a suspended machine is noticed.
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private readonly Random _random = random ?? Random.Shared;
    private readonly Backoff _backoff = new(TimeSpan.FromSeconds(1), random);
    private DateTimeOffset? _renewAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = await RenewIfDueAsync(stoppingToken);
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    /// <summary>Renews when due; returns how long to wait before the next check.</summary>
    internal async Task<TimeSpan> RenewIfDueAsync(CancellationToken cancellationToken)
    {
        var current = credentials.Current;
        var notAfter = new DateTimeOffset(current.NotAfter.ToUniversalTime());
        if (_renewAt is null)
        {
            _renewAt = RenewalSchedule.RenewAt(new DateTimeOffset(current.NotBefore.ToUniversalTime()), notAfter, credentials.ObtainedAt, _random);
            Log.RenewalScheduled(logger, _renewAt.Value, notAfter);
        }

        var now = time.GetUtcNow();
        if (now < _renewAt)
        {
            var wait = _renewAt.Value - now;
            return wait < MaxWait ? wait : MaxWait;
        }

        try
        {
            using var key = new KeyAndRequest(credentials.Config.Name);
            var response = await client.RenewAsync(key.CsrDer, cancellationToken);
            var renewed = key.AcceptIssued(response.CertificatePem, response.CaBundlePem, credentials.Config.CaPins);
            store.ReplaceCertificate(new IdentityFiles(key.KeyPem, response.CertificatePem, response.CaBundlePem));
            credentials.Swap(renewed, time.GetUtcNow());
            _renewAt = null;
            _backoff.Reset();
            Log.Renewed(logger, new DateTimeOffset(renewed.NotAfter.ToUniversalTime()));
            return TimeSpan.Zero;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            throw new OperationCanceledException("the agent is stopping", ex, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var retry = _backoff.Next(MaxRetryDelay);
            if (now >= notAfter)
            {
                Log.Expired(logger, notAfter, retry, ex);
            }
            else if (ex is RpcException { StatusCode: StatusCode.PermissionDenied or StatusCode.Unauthenticated } refused)
            {
                Log.Refused(logger, refused.Status.Detail, retry);
            }
            else
            {
                Log.RenewalFailed(logger, notAfter, retry, ex);
            }

            return retry;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1200, LogLevel.Information, "Client certificate valid until {NotAfter:O} will be renewed at {RenewAt:O}")]
        public static partial void RenewalScheduled(ILogger logger, DateTimeOffset renewAt, DateTimeOffset notAfter);

        [LoggerMessage(1201, LogLevel.Information, "Client certificate renewed with a new key; valid until {NotAfter:O}")]
        public static partial void Renewed(ILogger logger, DateTimeOffset notAfter);

        [LoggerMessage(1202, LogLevel.Warning, "Certificate renewal failed (current certificate valid until {NotAfter:O}); retrying in {RetryDelay}")]
        public static partial void RenewalFailed(ILogger logger, DateTimeOffset notAfter, TimeSpan retryDelay, Exception exception);

        [LoggerMessage(1203, LogLevel.Error, "The controller refused to renew this agent's certificate: {Reason}. A revoked agent needs 'fleet-agent enroll --force' with a new join token. Retrying in {RetryDelay}")]
        public static partial void Refused(ILogger logger, string reason, TimeSpan retryDelay);

        [LoggerMessage(1204, LogLevel.Error, "The client certificate expired at {NotAfter:O} and cannot be renewed; re-enroll with 'fleet-agent enroll --force'. Retrying in {RetryDelay}")]
        public static partial void Expired(ILogger logger, DateTimeOffset notAfter, TimeSpan retryDelay, Exception exception);
    }
}

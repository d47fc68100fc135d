using Fleet.Agent.Identity;
using Fleet.Agent.Tests.Support;
using Fleet.Contracts.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Fleet.Agent.Tests.Identity;

public sealed class CertificateRenewerTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(100);

    // Whole seconds: certificates carry no fractions, so the schedule is exact.
    private readonly RecordingTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly TempDir _dir = new();
    private readonly TestCa _ca;
    private readonly IdentityStore _store;
    private readonly AgentCredentials _credentials;
    private readonly FakeLogger<CertificateRenewer> _logger = new();

    public CertificateRenewerTests()
    {
        _ca = new TestCa(_time.GetUtcNow());
        _store = new IdentityStore(_dir.Path);
        using var key = new KeyAndRequest("web-1");
        var certificate = _ca.Issue(key.CsrDer, _time.GetUtcNow(), _time.GetUtcNow() + Lifetime);
        _store.Create(IdentityStoreTests.Config() with { CaPins = [_ca.Pin] }, new IdentityFiles(key.KeyPem, certificate, _ca.BundlePem), overwrite: false);
        _credentials = new AgentCredentials(_store.Load() with { ObtainedAt = _time.GetUtcNow() });
    }

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task RenewIfDueAsync_Before70PercentOfLifetime_WaitsIntoTheWindowWithoutCalling()
    {
        var client = new FakeRenewalClient(_ca, _time);
        using var renewer = Renewer(client);

        var wait = await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(69));
        var later = await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);

        Assert.InRange(wait, Lifetime * 0.7, Lifetime * 0.9);
        Assert.Equal(wait - TimeSpan.FromSeconds(69), later);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task RenewIfDueAsync_At90PercentOfLifetime_RenewsWithNewKeyAndSwapsCertificate()
    {
        var client = new FakeRenewalClient(_ca, _time);
        using var renewer = Renewer(client);
        var old = _credentials.Current;
        await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(Lifetime * 0.9);

        var wait = await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.Zero, wait);
        Assert.Equal(1, client.Calls);
        var current = _credentials.Current;
        Assert.NotEqual(old.Thumbprint, current.Thumbprint);
        Assert.True(current.HasPrivateKey);
        Assert.NotEqual(old.PublicKey.EncodedKeyValue.RawData, current.PublicKey.EncodedKeyValue.RawData);
        Assert.Equal(current.Thumbprint, _store.Load().Certificate.Thumbprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine(IdentityStore.KeyFile)));
    }

    [Fact]
    public async Task RenewIfDueAsync_RenewedCertificateBackDated_SchedulesFromWhenItArrivedNotFromNotBefore()
    {
        var client = new FakeRenewalClient(_ca, _time);
        using var renewer = Renewer(client);
        await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(Lifetime * 0.9);
        await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);

        var next = await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);

        Assert.True(next > TimeSpan.Zero, $"renewal storm: next renewal due {next} from now");
        Assert.Equal(1, client.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_FakeClockPassesTheWindow_RenewsOnceWithoutRestart()
    {
        var client = new FakeRenewalClient(_ca, _time);
        using var renewer = Renewer(client);
        var old = _credentials.Current.Thumbprint;

        await renewer.StartAsync(TestContext.Current.CancellationToken);
        var firstWait = await FirstWaitAsync();
        _time.Advance(Lifetime * 0.9);
        await PollAsync(() => _credentials.Current.Thumbprint != old);
        await renewer.StopAsync(TestContext.Current.CancellationToken);

        Assert.InRange(firstWait, Lifetime * 0.7, Lifetime * 0.9);

        Assert.Equal(1, client.Calls);
        Assert.NotEqual(old, _credentials.Current.Thumbprint);
    }

    [Fact]
    public async Task RenewIfDueAsync_ControllerUnreachable_RetriesSoonAndKeepsCurrentCertificate()
    {
        var client = new FakeRenewalClient(_ca, _time) { Failure = new RpcException(new Status(StatusCode.Unavailable, "connection refused")) };
        using var renewer = Renewer(client);
        var old = _credentials.Current.Thumbprint;
        var certificateFile = File.ReadAllText(_dir.Combine(IdentityStore.CertificateFile));
        await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(Lifetime * 0.9);

        var wait = await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);

        Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.Equal(old, _credentials.Current.Thumbprint);
        Assert.Equal(certificateFile, File.ReadAllText(_dir.Combine(IdentityStore.CertificateFile)));
        Assert.Equal(LogLevel.Warning, _logger.LatestRecord.Level);
    }

    [Fact]
    public async Task RenewIfDueAsync_AgentRevoked_LogsErrorWithReason()
    {
        var client = new FakeRenewalClient(_ca, _time) { Failure = new RpcException(new Status(StatusCode.PermissionDenied, "agent web-1 is revoked")) };
        using var renewer = Renewer(client);
        await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(Lifetime * 0.9);

        await renewer.RenewIfDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(LogLevel.Error, _logger.LatestRecord.Level);
        Assert.Contains("agent web-1 is revoked", _logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    private CertificateRenewer Renewer(FakeRenewalClient client) =>
        new(_credentials, _store, client, _time, _logger, new Random(11));

    private static async Task PollAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    private async Task<TimeSpan> FirstWaitAsync()
    {
        await PollAsync(() => !_time.DueTimes.IsEmpty);
        return _time.DueTimes.First();
    }

    private sealed class FakeRenewalClient(TestCa ca, TimeProvider time) : ICertificateRenewalClient
    {
        public RpcException? Failure { get; init; }

        public int Calls { get; private set; }

        public Task<RenewCertificateResponse> RenewAsync(byte[] csrDer, CancellationToken cancellationToken)
        {
            Calls++;
            if (Failure is not null)
            {
                throw Failure;
            }

            // Back-dated 5 minutes like the controller's (which also keeps the chain check on
            // the real clock passing), and as short-lived as the first one.
            var response = new RenewCertificateResponse
            {
                CertificatePem = ca.Issue(csrDer, DateTimeOffset.UtcNow.AddMinutes(-5), time.GetUtcNow() + Lifetime),
                CaBundlePem = ca.BundlePem,
            };
            return Task.FromResult(response);
        }
    }
}

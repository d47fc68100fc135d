using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Contracts.V1;
using Fleet.Controller.Hosting;
using Fleet.Core.Transport;
using Fleet.Integration.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Controller;

/// <summary>
/// A real controller in this process: real Kestrel on 127.0.0.1 and a free port, real TLS, a real
/// PostgreSQL database of its own. Clients reach it the way agents and fleetctl do, through PinnedChannel.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];
    private WebApplication? _app;

    private readonly TempDirectory _data = new("controller");

    private ControllerHarness(PostgresDatabase database) => Database = database;

    public PostgresDatabase Database { get; }

    public string DataFolder => _data.Path;

    public ControllerEndpoint Endpoint { get; private set; } = null!;

    public string AdminToken => File.ReadAllText(Endpoint.AdminTokenPath).Trim();

    public static async Task<ControllerHarness> StartAsync(params string[] extraArgs)
    {
        var harness = new ControllerHarness(await PostgresDatabase.CreateAsync("fleet_controller", TestContext.Current.CancellationToken));
        await harness.RestartAsync(extraArgs);
        return harness;
    }

    /// <summary>Stops the controller gracefully (if running) and starts it again on the same data and database.</summary>
    public async Task RestartAsync(params string[] extraArgs)
    {
        await StopAsync();
        _app = await ControllerApp.CreateAsync(
        [
            "--data", DataFolder, "--listen", "127.0.0.1:0", "--metrics-listen", "off",
            "--connection-string", Database.ConnectionString, "--heartbeat-interval", "1s", .. extraArgs,
        ]);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        Endpoint = await _app.Services.GetRequiredService<ReadyAnnouncer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _channels.Clear();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public GrpcChannel Channel(X509Certificate2? clientCertificate = null)
    {
        var channel = PinnedChannel.Create(new Uri(Endpoint.Url), new PinnedServerValidator([Endpoint.CaPin]),
            clientCertificate is null ? null : () => clientCertificate);
        _channels.Add(channel);
        return channel;
    }

    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    public async Task<string> CreateTokenAsync(TokenRole role, int maxUses = 0)
    {
        var client = new TokensService.TokensServiceClient(Channel());
        var response = await client.CreateTokenAsync(new CreateTokenRequest { Role = role, MaxUses = maxUses }, Bearer(AdminToken));
        return response.Secret;
    }

    /// <summary>Enrolls an agent the way fleet-agent does: own key, CSR, join token.</summary>
    public async Task<EnrolledAgent> EnrollAsync(string name, string? joinToken = null, IDictionary<string, string>? labels = null)
    {
        joinToken ??= await CreateTokenAsync(TokenRole.AgentJoin);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new EnrollRequest
        {
            JoinToken = joinToken,
            Name = name,
            CsrDer = Google.Protobuf.ByteString.CopyFrom(EnrolledAgent.Csr(key)),
            AgentVersion = "test",
        };
        if (labels is not null)
        {
            request.Labels.Add(labels);
        }

        var response = await new EnrollmentService.EnrollmentServiceClient(Channel()).EnrollAsync(request);
        return new EnrolledAgent(Guid.Parse(response.AgentId), name, key, response.CertificatePem);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Database.DisposeAsync();
        _data.Dispose();
    }
}

internal sealed class EnrolledAgent(Guid id, string name, ECDsa key, string certificatePem) : IDisposable
{
    public Guid Id { get; } = id;

    public string Name { get; } = name;

    public ECDsa Key { get; } = key;

    public X509Certificate2 Certificate { get; } = Load(certificatePem, key);

    public static byte[] Csr(ECDsa key) => new CertificateRequest("CN=ignored", key, HashAlgorithmName.SHA256).CreateSigningRequest();

    public static X509Certificate2 Load(string pem, ECDsa key)
    {
        using var publicOnly = X509Certificate2.CreateFromPem(pem);
        using var withKey = publicOnly.CopyWithPrivateKey(key);
        // A PKCS#12 round trip gives SslStream a certificate whose key it can always use.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}

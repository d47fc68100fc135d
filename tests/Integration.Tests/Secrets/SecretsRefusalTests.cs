using System.Security.Cryptography;
using Fleet.Contracts.V1;
using Fleet.Core.Secrets;
using Fleet.Core.Transport;
using Fleet.Integration.Tests.Foundation;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Fleet.Integration.Tests.Secrets;

/// <summary>
/// The real controller refuses sealed copies it cannot vouch for (no recovery copy, a key the agent
/// does not hold, a malformed version, a viewer's token) and stores nothing then; fleetctl refuses
/// without a recovery key.
/// </summary>
public sealed class SecretsRefusalTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly string Version = new('a', 64);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutSecret_BadCopies_RefusedAndNothingStored()
    {
        await fleet.StartAgentAsync("refusal-1");
        var shown = await fleet.AgentAsync("refusal-1");
        var agentId = shown.GetProperty("agentId").GetString()!;
        using var stranger = EncryptionKeys.Generate();
        using var channel = Channel();
        var secrets = Client(channel, fleet.Controller.AdminToken);

        var noRecovery = await Assert.ThrowsAsync<RpcException>(() => secrets.PutSecretAsync(Put(Version, Copy(agentId, stranger)), cancellationToken: Cancel).ResponseAsync);
        var wrongKey = await Assert.ThrowsAsync<RpcException>(() => secrets.PutSecretAsync(Put(Version, Copy("", stranger), Copy(agentId, stranger)), cancellationToken: Cancel).ResponseAsync);
        var badVersion = await Assert.ThrowsAsync<RpcException>(() => secrets.PutSecretAsync(Put("v1", Copy("", stranger)), cancellationToken: Cancel).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, true), (noRecovery.StatusCode, noRecovery.Status.Detail.Contains("recovery key", StringComparison.Ordinal)));
        Assert.Equal((StatusCode.InvalidArgument, true), (wrongKey.StatusCode, wrongKey.Status.Detail.Contains("sealed for a key it does not hold", StringComparison.Ordinal)));
        Assert.Equal(StatusCode.InvalidArgument, badVersion.StatusCode);
        Assert.Empty((await secrets.ListSecretsAsync(new ListSecretsRequest { Environment = "staging", AllVersions = true }, cancellationToken: Cancel)).Secrets);
        Assert.StartsWith("sha256:", shown.GetProperty("encryptionKey").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutSecret_ViewerToken_PermissionDenied()
    {
        var viewer = (await fleet.Admin.OkAsync("tokens", "create", "--role", "viewer")).Trim();
        using var recovery = EncryptionKeys.Generate();
        using var channel = Channel();

        var error = await Assert.ThrowsAsync<RpcException>(() => Client(channel, viewer).PutSecretAsync(Put(Version, Copy("", recovery)), cancellationToken: Cancel).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Cli_SetWithoutRecoveryKey_ExitsOneAndStoresNothing()
    {
        var file = fleet.Directory.Combine($"value-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "never-stored", TestContext.Current.CancellationToken);
        var operatorCli = fleet.NewOperator();
        await operatorCli.LoginAsync(fleet.Endpoint, fleet.Controller.AdminToken);

        var result = await operatorCli.RunAsync("secrets", "set", "blog", "api_key", "--env", "staging", "--from-file", file);
        var badName = await operatorCli.RunAsync("secrets", "set", "blog", "../x", "--env", "staging", "--from-file", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no recovery key", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badName.ExitCode);
        Assert.Empty((await operatorCli.JsonAsync("secrets", "list", "--env", "staging", "--app", "blog")).GetProperty("secrets").EnumerateArray());
    }

    private static PutSecretRequest Put(string version, params SealedCopy[] copies) =>
        new() { App = "shop", Environment = "staging", Name = "db_password", Version = version, Copies = { copies } };

    private static SealedCopy Copy(string agentId, ECDiffieHellman key) => new()
    {
        App = "shop",
        Environment = "staging",
        Name = "db_password",
        Version = Version,
        AgentId = agentId,
        KeyFingerprint = EncryptionKeys.Fingerprint(EncryptionKeys.PublicKey(key)),
        Ciphertext = ByteString.CopyFrom(SecretSealer.Seal(EncryptionKeys.PublicKey(key), new SecretContext("shop", "staging", "db_password", Version), [1, 2, 3])),
    };

    private GrpcChannel Channel() => PinnedChannel.Create(new Uri(fleet.Controller.Url), new PinnedServerValidator([fleet.Controller.CaPin]));

    private static SecretsService.SecretsServiceClient Client(GrpcChannel channel, string token) =>
        new(channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        }));
}

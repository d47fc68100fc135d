using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Operators;
using Fleet.Core.Releases;
using Fleet.Core.Secrets;
using Grpc.Core;

namespace Fleet.Controller.Secrets;

/// <summary>fleetctl secrets: stores and hands out ciphertexts; checks that each copy names a version and a key it may go with.</summary>
[RequiresRole(TokenRole.Viewer)]
internal sealed partial class SecretsGrpcService(SecretStore store, AgentStore agents, ILogger<SecretsGrpcService> logger) : SecretsService.SecretsServiceBase
{
    // The largest value plus the sealing overhead (format byte, ephemeral point, nonce, tag, salt).
    private const int MaxCiphertextBytes = SecretValue.MaxBytes + 1024;

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<PutSecretResponse> PutSecret(PutSecretRequest request, ServerCallContext context)
    {
        RequireSecret(request.App, request.Environment, request.Name);
        Require(ReleaseValidator.IsValidSecretVersion(request.Version), "a secret version is 64 lowercase hex digits");
        Require(request.Copies.Any(c => c.AgentId.Length == 0), "a secret needs a copy sealed for a recovery key, so that 'fleetctl secrets grant' can seal it for agents enrolled later");
        Require(request.Copies.All(c => c.App == request.App && c.Environment == request.Environment && c.Name == request.Name && c.Version == request.Version),
            "every copy must name the secret's app, environment, name and version");
        await CheckCopiesAsync(request.Copies, context.CancellationToken);
        if (!await store.PutAsync(request.App, request.Environment, request.Name, request.Version, request.Copies, context.CancellationToken))
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"version {request.Version} of secret {request.Name} exists already"));
        }

        var identity = OperatorIdentity.From(context);
        Log.Stored(logger, request.App, request.Environment, request.Name, request.Version, request.Copies.Count, identity.TokenId);
        var stored = await store.ListAsync(request.Environment, request.App, allVersions: true, context.CancellationToken);
        return new PutSecretResponse { Secret = stored.First(s => s.Name == request.Name && s.Version == request.Version) };
    }

    public override async Task<ListSecretsResponse> ListSecrets(ListSecretsRequest request, ServerCallContext context)
    {
        Require(ReleaseValidator.IsValidName(request.Environment), "--env must be 1-63 lowercase letters, digits or '-'");
        Require(request.App.Length == 0 || ReleaseValidator.IsValidName(request.App), "the app must be 1-63 lowercase letters, digits or '-'");
        var response = new ListSecretsResponse();
        response.Secrets.AddRange(await store.ListAsync(request.Environment, request.App, request.AllVersions, context.CancellationToken));
        return response;
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<RemoveSecretResponse> RemoveSecret(RemoveSecretRequest request, ServerCallContext context)
    {
        RequireSecret(request.App, request.Environment, request.Name);
        var removed = await store.RemoveAsync(request.App, request.Environment, request.Name, context.CancellationToken);
        if (removed == 0)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no secret {request.Name} of {request.App} in {request.Environment}"));
        }

        Log.Removed(logger, request.App, request.Environment, request.Name, removed, OperatorIdentity.From(context).TokenId);
        return new RemoveSecretResponse { VersionsRemoved = removed };
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<GetRecoveryCopiesResponse> GetRecoveryCopies(GetRecoveryCopiesRequest request, ServerCallContext context)
    {
        Require(ReleaseValidator.IsValidName(request.Environment), "--env must be 1-63 lowercase letters, digits or '-'");
        var response = new GetRecoveryCopiesResponse();
        response.Copies.AddRange(await store.RecoveryCopiesAsync(request.Environment, request.KeyFingerprint, context.CancellationToken));
        return response;
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<AddSealedCopiesResponse> AddSealedCopies(AddSealedCopiesRequest request, ServerCallContext context)
    {
        Require(request.Copies.All(c => c.AgentId.Length > 0), "granted copies are sealed for agents");
        foreach (var copy in request.Copies)
        {
            RequireSecret(copy.App, copy.Environment, copy.Name);
            Require(ReleaseValidator.IsValidSecretVersion(copy.Version), "a secret version is 64 lowercase hex digits");
        }

        await CheckCopiesAsync(request.Copies, context.CancellationToken);
        var added = await store.AddCopiesAsync(request.Copies, context.CancellationToken);
        Log.Granted(logger, added, string.Join(",", request.Copies.Select(c => c.AgentId).Distinct()), OperatorIdentity.From(context).TokenId);
        return new AddSealedCopiesResponse { Added = added };
    }

    // An agent's copy must be sealed for the key it registered, and the agent must be active in that environment.
    private async Task CheckCopiesAsync(IEnumerable<SealedCopy> copies, CancellationToken cancellationToken)
    {
        foreach (var copy in copies)
        {
            Require(copy.Ciphertext.Length is > 0 and <= MaxCiphertextBytes, $"a sealed copy is 1-{MaxCiphertextBytes} bytes");
            Require(copy.KeyFingerprint.StartsWith("sha256:", StringComparison.Ordinal), "a key fingerprint is sha256:HEX");
            if (copy.AgentId.Length == 0)
            {
                continue;
            }

            var agent = Guid.TryParse(copy.AgentId, out var id) ? await agents.FindAsync(id, cancellationToken) : null;
            Require(agent is { RevokedAt: null }, $"no active agent {copy.AgentId}");
            Require(agent!.Labels.TryGetValue("env", out var env) && env == copy.Environment, $"agent {agent.Name} is not in environment {copy.Environment}");
            Require(agent.EncryptionPublicKey is { } key && EncryptionKeys.Fingerprint(key) == copy.KeyFingerprint,
                $"the copy for agent {agent.Name} is sealed for a key it does not hold (now); list the agents again and seal anew");
        }
    }

    private static void RequireSecret(string app, string environment, string name)
    {
        Require(ReleaseValidator.IsValidName(app), "the app must be 1-63 lowercase letters, digits or '-'");
        Require(ReleaseValidator.IsValidName(environment), "--env must be 1-63 lowercase letters, digits or '-'");
        Require(ReleaseValidator.IsValidSecretName(name), "secret names are 1-64 of A-Z a-z 0-9 _ . - and start with a letter, digit or '_'");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3410, LogLevel.Information, "Stored secret {Name} of {App} in {Environment} version {Version} with {Copies} sealed copies (token {TokenId})")]
        public static partial void Stored(ILogger logger, string app, string environment, string name, string version, int copies, string tokenId);

        [LoggerMessage(3411, LogLevel.Information, "Removed secret {Name} of {App} in {Environment}: {Versions} versions (token {TokenId})")]
        public static partial void Removed(ILogger logger, string app, string environment, string name, int versions, string tokenId);

        [LoggerMessage(3412, LogLevel.Information, "Added {Added} sealed secret copies for agents {AgentIds} (token {TokenId})")]
        public static partial void Granted(ILogger logger, int added, string agentIds, string tokenId);
    }
}

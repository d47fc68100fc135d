using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Identity;
using Fleet.Controller.Operators;
using Fleet.Controller.Secrets;
using Fleet.Core.Transport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;

namespace Fleet.Controller.Enrollment;

/// <summary>
/// Trades a join token and a CSR for an agent identity. The token use and the agent row commit
/// together before the answer leaves, so a refused or failed enrollment writes nothing.
/// </summary>
internal sealed partial class Enroller(
    NpgsqlDataSource dataSource, AgentCertificateIssuer issuer, AgentDirectory directory, TimeProvider time, ILogger<Enroller> logger)
{
    public async Task<EnrollResponse> EnrollAsync(EnrollRequest request, CancellationToken cancellationToken)
    {
        if (!ApiToken.TryParse(request.JoinToken, ApiToken.JoinKind, out var tokenId, out var secret))
        {
            throw Refuse(StatusCode.PermissionDenied, "the join token is malformed; expected fleet_join_<id>_<secret> from 'fleetctl tokens create --role agent-join'");
        }

        if ((AgentName.Validate(request.Name) ?? AgentName.ValidateLabels(request.Labels)) is { } invalid)
        {
            throw Refuse(StatusCode.InvalidArgument, invalid);
        }

        if (AgentEncryptionKeys.Validate(request.EncryptionPublicKey) is { } badKey)
        {
            throw Refuse(StatusCode.InvalidArgument, badKey);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var token = await TokenStore.FindAsync(connection, transaction, tokenId, forUpdate: true, cancellationToken);
        var now = time.GetUtcNow();
        var refusal = token is null ? "the join token is not valid" : token.WhyUnusable(secret, now);
        if (refusal is null && token!.Role != TokenRole.AgentJoin)
        {
            refusal = "the token is not an agent-join token";
        }

        if (refusal is not null)
        {
            Log.Refused(logger, request.Name, refusal);
            throw Refuse(StatusCode.PermissionDenied, refusal.Replace("the token", "the join token", StringComparison.Ordinal));
        }

        var agentId = Guid.CreateVersion7(now);
        var issued = issuer.Issue(request.CsrDer, agentId, request.Name);

        var row = new AgentRow(agentId, request.Name, request.Labels, now, null, null, null, issued.NotAfter,
            EncryptionPublicKey: request.EncryptionPublicKey.IsEmpty ? null : request.EncryptionPublicKey.ToByteArray());
        try
        {
            await AgentStore.InsertAsync(connection, transaction, row, request.AgentVersion, issued.Serial, cancellationToken);
            await TokenStore.CountUseAsync(connection, transaction, tokenId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw Refuse(StatusCode.AlreadyExists, $"an agent named '{request.Name}' is already enrolled; revoke it first ('fleetctl agents revoke {request.Name}') or choose another name");
        }

        directory.Remember(new AgentIdentity(agentId, request.Name, null));
        Log.Enrolled(logger, request.Name, agentId, tokenId);
        return new EnrollResponse
        {
            AgentId = agentId.ToString("D"),
            CertificatePem = issued.Pem,
            CaBundlePem = issuer.CaBundlePem,
            NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter),
        };
    }

    private static RpcException Refuse(StatusCode code, string message) => new(new Status(code, message));

    private static partial class Log
    {
        [LoggerMessage(1400, LogLevel.Information, "Enrolled agent {Name} as {AgentId} with join token {TokenId}")]
        public static partial void Enrolled(ILogger logger, string name, Guid agentId, string tokenId);

        [LoggerMessage(1401, LogLevel.Warning, "Refused to enroll agent {Name}: {Reason}")]
        public static partial void Refused(ILogger logger, string name, string reason);
    }
}

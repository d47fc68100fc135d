using Fleet.Controller.Identity;
using Grpc.Core;

namespace Fleet.Controller.Agents;

/// <summary>Turns the TLS client certificate of an AgentService call into a known, unrevoked agent.</summary>
internal sealed class AgentAuthenticator(AgentCertificateValidator validator, AgentDirectory directory)
{
    /// <exception cref="RpcException">Unauthenticated (no or foreign certificate) or PermissionDenied (unknown or revoked agent).</exception>
    public async Task<AgentIdentity> AuthenticateAsync(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        var check = validator.Validate(certificate);
        if (!check.IsValid)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, check.Failure!));
        }

        var agent = await directory.FindAsync(check.AgentId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"agent {check.AgentId} is not enrolled with this controller; enroll it again with a join token"));
        if (agent.RevokedAt is { } revokedAt)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, RevokedMessage(agent.Name, revokedAt)));
        }

        return agent;
    }

    public static string RevokedMessage(string name, DateTimeOffset revokedAt) =>
        $"agent '{name}' was revoked at {revokedAt.UtcDateTime:u}; enroll it again with a new join token";
}

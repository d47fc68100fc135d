using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Controller.Operators;

[RequiresRole(TokenRole.Admin)]
internal sealed class TokensGrpcService(TokenStore tokens, AuditLog audit) : TokensService.TokensServiceBase
{
    public override async Task<CreateTokenResponse> CreateToken(CreateTokenRequest request, ServerCallContext context)
    {
        if (request.Role == TokenRole.Unspecified || !System.Enum.IsDefined(request.Role))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a token needs a role: viewer, deployer, admin or agent-join"));
        }

        if (request.TtlSeconds < 0 || request.MaxUses < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "ttl and uses must not be negative"));
        }

        CreatedToken created;
        try
        {
            created = await tokens.CreateAsync(
                request.Role,
                request.TtlSeconds == 0 ? null : TimeSpan.FromSeconds(request.TtlSeconds),
                request.Description,
                request.MaxUses == 0 ? null : request.MaxUses,
                context.CancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }

        await audit.AppendAsync(
            "token.create", OperatorIdentity.From(context).TokenId, $"token {created.Id}", $"role {TokenRoles.ToName(request.Role)}", context.CancellationToken);
        return new CreateTokenResponse
        {
            TokenId = created.Id,
            Secret = created.Token,
            ExpiresAt = created.ExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
        };
    }

    public override async Task<ListTokensResponse> ListTokens(ListTokensRequest request, ServerCallContext context)
    {
        var response = new ListTokensResponse();
        response.Tokens.AddRange((await tokens.ListAsync(context.CancellationToken)).Select(Info));
        return response;
    }

    public override async Task<RevokeTokenResponse> RevokeToken(RevokeTokenRequest request, ServerCallContext context)
    {
        var caller = OperatorIdentity.From(context).TokenId;
        if (request.TokenId == caller)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "a token cannot revoke itself: use another admin token, so that one is left"));
        }

        var token = await tokens.RevokeAsync(request.TokenId, caller, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no token '{request.TokenId}'; fleetctl tokens list shows them"));
        return new RevokeTokenResponse { Token = Info(token) };
    }

    private static TokenInfo Info(StoredToken token) => new()
    {
        TokenId = token.Id,
        Role = token.Role,
        Description = token.Description,
        CreatedAt = Timestamp.FromDateTimeOffset(token.CreatedAt),
        ExpiresAt = token.ExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
        MaxUses = token.MaxUses ?? 0,
        Uses = token.Uses,
        RevokedAt = token.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
    };
}

using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Controller.Operators;

[RequiresRole(TokenRole.Admin)]
internal sealed class TokensGrpcService(TokenStore tokens) : TokensService.TokensServiceBase
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

        return new CreateTokenResponse
        {
            TokenId = created.Id,
            Secret = created.Token,
            ExpiresAt = created.ExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
        };
    }
}

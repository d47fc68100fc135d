using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Fleet.Controller.Operators;

/// <summary>Who called: the API token behind the current operator request.</summary>
internal sealed record OperatorIdentity(string TokenId, TokenRole Role, string Description)
{
    private static readonly object Key = new();

    public static OperatorIdentity From(ServerCallContext context) =>
        context.GetHttpContext().Items[Key] as OperatorIdentity
        ?? throw new InvalidOperationException("no operator identity: the method lacks [RequiresRole]");

    public void Attach(ServerCallContext context) => context.GetHttpContext().Items[Key] = this;
}

/// <summary>Checks <c>authorization: Bearer fleet_api_…</c> on every method marked <see cref="RequiresRoleAttribute"/>.</summary>
internal sealed partial class OperatorAuthInterceptor(TokenStore tokens, TimeProvider time, ILogger<OperatorAuthInterceptor> logger) : Interceptor
{
    public const string InvalidToken = "missing or invalid API token; pass one with 'authorization: Bearer fleet_api_…' (fleetctl login)";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(request, responseStream, context);
    }

    private async Task AuthorizeAsync(ServerCallContext context)
    {
        var required = context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>();
        if (required is null)
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        const string scheme = "Bearer ";
        var presented = header is not null && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..] : null;
        if (!ApiToken.TryParse(presented, ApiToken.ApiKind, out var id, out var secret))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, InvalidToken));
        }

        var token = await tokens.FindAsync(id, context.CancellationToken);
        var refusal = token is null ? "unknown token" : token.WhyUnusable(secret, time.GetUtcNow());
        if (token is null || refusal is not null || !TokenRoles.IsApiRole(token.Role))
        {
            Log.Refused(logger, id, context.Method, refusal ?? "not an API token");
            throw new RpcException(new Status(StatusCode.Unauthenticated, InvalidToken));
        }

        if (!TokenRoles.Satisfies(token.Role, required.Role))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"this needs the {TokenRoles.ToName(required.Role)} role; the token has {TokenRoles.ToName(token.Role)}"));
        }

        new OperatorIdentity(token.Id, token.Role, token.Description).Attach(context);
    }

    private static partial class Log
    {
        [LoggerMessage(1300, LogLevel.Warning, "Refused API token {TokenId} for {Method}: {Reason}")]
        public static partial void Refused(ILogger logger, string tokenId, string method, string reason);
    }
}

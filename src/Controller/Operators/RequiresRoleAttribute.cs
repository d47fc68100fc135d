using Fleet.Contracts.V1;

namespace Fleet.Controller.Operators;

/// <summary>
/// Marks an operator-facing gRPC service or method with the role its API token needs. The most
/// specific attribute (method over class) wins; services without one take no API token.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RequiresRoleAttribute(TokenRole role) : Attribute
{
    public TokenRole Role { get; } = role;
}

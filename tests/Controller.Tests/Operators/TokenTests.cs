using Fleet.Contracts.V1;
using Fleet.Controller.Operators;
using Fleet.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Operators;

public sealed class TokenTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void WhyUnusable_RightSecretWithinLimits_Null()
    {
        var (token, secret) = Token(expiresIn: TimeSpan.FromHours(1), maxUses: 1, uses: 0);

        Assert.Null(token.WhyUnusable(secret, _time.GetUtcNow()));
    }

    [Fact]
    public void WhyUnusable_WrongSecret_NotValid()
    {
        var (token, _) = Token(expiresIn: null, maxUses: null, uses: 0);

        Assert.Equal("the token is not valid", token.WhyUnusable(ApiToken.Create(ApiToken.ApiKind).Secret, _time.GetUtcNow()));
    }

    [Fact]
    public void WhyUnusable_PastExpiry_SaysExpired()
    {
        var (token, secret) = Token(expiresIn: TimeSpan.FromHours(1), maxUses: null, uses: 0);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.StartsWith("the token expired at 2026-01-01 01:00:00Z", token.WhyUnusable(secret, _time.GetUtcNow()), StringComparison.Ordinal);
    }

    [Fact]
    public void WhyUnusable_AllUsesSpent_SaysAlreadyUsed()
    {
        var (token, secret) = Token(expiresIn: null, maxUses: 2, uses: 2);

        Assert.Equal("the token was already used (2 of 2 uses)", token.WhyUnusable(secret, _time.GetUtcNow()));
    }

    [Theory]
    [InlineData(TokenRole.Admin, TokenRole.Admin, true)]
    [InlineData(TokenRole.Admin, TokenRole.Viewer, true)]
    [InlineData(TokenRole.Deployer, TokenRole.Viewer, true)]
    [InlineData(TokenRole.Deployer, TokenRole.Admin, false)]
    [InlineData(TokenRole.Viewer, TokenRole.Deployer, false)]
    [InlineData(TokenRole.AgentJoin, TokenRole.Viewer, false)]
    [InlineData(TokenRole.Unspecified, TokenRole.Viewer, false)]
    public void Satisfies_RoleHierarchy_AdminAboveDeployerAboveViewer(TokenRole held, TokenRole needed, bool expected) =>
        Assert.Equal(expected, TokenRoles.Satisfies(held, needed));

    [Theory]
    [InlineData(TokenRole.Viewer)]
    [InlineData(TokenRole.Deployer)]
    [InlineData(TokenRole.Admin)]
    [InlineData(TokenRole.AgentJoin)]
    public void FromName_ToName_RoundTrips(TokenRole role) =>
        Assert.Equal(role, TokenRoles.FromName(TokenRoles.ToName(role)));

    private (StoredToken Token, string Secret) Token(TimeSpan? expiresIn, int? maxUses, int uses)
    {
        var (id, secret, _) = ApiToken.Create(ApiToken.JoinKind);
        var now = _time.GetUtcNow();
        return (new StoredToken(id, ApiToken.Hash(secret), TokenRole.AgentJoin, "", now, now + expiresIn, maxUses, uses), secret);
    }
}

using Fleet.Core.Registries;

namespace Fleet.Core.Tests.Registries;

public sealed class RegistryChallengeTests
{
    [Fact]
    public void TryParse_DockerHubBearer_ReadsRealmServiceAndScope()
    {
        Assert.True(RegistryChallenge.TryParse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"", out var challenge));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Parameter("realm"));
        Assert.Equal("registry.docker.io", challenge.Parameter("service"));
        Assert.Equal("repository:library/nginx:pull", challenge.Parameter("scope"));
    }

    [Fact]
    public void TryParse_BasicWithRealm_IsBasic()
    {
        Assert.True(RegistryChallenge.TryParse("Basic realm=\"fleet-test\"", out var challenge));

        Assert.True(challenge.IsBasic);
        Assert.Equal("fleet-test", challenge.Parameter("realm"));
    }

    [Fact]
    public void TryParse_SchemeAlone_NoParameters()
    {
        Assert.True(RegistryChallenge.TryParse("basic", out var challenge));

        Assert.True(challenge.IsBasic);
        Assert.Empty(challenge.Parameters);
    }

    [Fact]
    public void TryParse_TokensSpacesEscapesAndCase_ReadAsWritten()
    {
        Assert.True(RegistryChallenge.TryParse(
            "bearer  Realm = https://ghcr.io/token , Service=ghcr.io, scope=\"repository:a/b:pull repository:c/d:pull\", error=\"in\\\"va,lid\"", out var challenge));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://ghcr.io/token", challenge.Parameter("realm"));
        Assert.Equal("ghcr.io", challenge.Parameter("SERVICE"));
        Assert.Equal("repository:a/b:pull repository:c/d:pull", challenge.Parameter("scope"));
        Assert.Equal("in\"va,lid", challenge.Parameter("error"));
    }

    [Fact]
    public void TryParse_TwoChallenges_KeepsTheFirst()
    {
        Assert.True(RegistryChallenge.TryParse("Basic realm=\"a\", Bearer realm=\"https://b/token\"", out var challenge));

        Assert.True(challenge.IsBasic);
        Assert.Equal("a", challenge.Parameter("realm"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Bearer realm=\"unterminated")]
    [InlineData("(bad) realm=x")]
    public void TryParse_NotAChallenge_False(string? header) =>
        Assert.False(RegistryChallenge.TryParse(header, out _));
}

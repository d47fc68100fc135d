using Fleet.Agent.Acme;

namespace Fleet.Agent.Tests.Acme;

public sealed class LinkHeaderTests
{
    [Fact]
    public void Parse_AlternateAndUpLinks_ReturnsEachWithItsRel()
    {
        var links = LinkHeader.Parse([
            "<https://ca.test/cert/1/1>;rel=\"alternate\"",
            "<https://ca.test/cert/1/2>; title=\"x\"; rel=\"alternate\", <https://ca.test/issuer>;rel=up",
        ]);

        Assert.Equal(
            [("https://ca.test/cert/1/1", "alternate"), ("https://ca.test/cert/1/2", "alternate"), ("https://ca.test/issuer", "up")],
            links.Select(l => (l.Target.AbsoluteUri, l.Rel)));
    }

    [Fact]
    public void Parse_RelativeTarget_ResolvesAgainstBase()
    {
        var link = Assert.Single(LinkHeader.Parse(["</cert/2>;rel=\"alternate\""], new Uri("https://ca.test/cert/1")));

        Assert.Equal("https://ca.test/cert/2", link.Target.AbsoluteUri);
    }
}

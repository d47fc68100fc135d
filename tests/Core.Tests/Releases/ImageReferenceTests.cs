using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ImageReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", null, null)]
    [InlineData("nginx:1.27", "docker.io", "library/nginx", "1.27", null)]
    [InlineData("team/app:2", "docker.io", "team/app", "2", null)]
    [InlineData("127.0.0.1:5000/shop/web:1.4.2", "127.0.0.1:5000", "shop/web", "1.4.2", null)]
    [InlineData("localhost/app", "localhost", "app", null, null)]
    [InlineData("ghcr.io/org/app@sha256:" + Hex, "ghcr.io", "org/app", null, "sha256:" + Hex)]
    [InlineData("ghcr.io/org/app:v1@sha256:" + Hex, "ghcr.io", "org/app", "v1", "sha256:" + Hex)]
    public void TryParse_ValidReference_SplitsParts(string text, string registry, string repository, string? tag, string? digest)
    {
        Assert.True(ImageReference.TryParse(text, out var reference, out var error), error);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(digest is not null, reference.IsPinned);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER/case")]
    [InlineData("app@sha256:abc")]
    [InlineData("app@md5:" + Hex)]
    [InlineData("app:")]
    [InlineData("app:tag with space")]
    [InlineData("nginx\n")]
    [InlineData("ghcr.io/org/app@sha256:" + Hex + "\n")]
    [InlineData("evil host.io/app@sha256:" + Hex)]
    [InlineData("-bad.io/app@sha256:" + Hex)]
    [InlineData("reg_istry.io/app@sha256:" + Hex)]
    [InlineData("reg..io/app@sha256:" + Hex)]
    [InlineData("reg.io:99999/app@sha256:" + Hex)]
    [InlineData("reg.io:0/app@sha256:" + Hex)]
    public void TryParse_Invalid_RefusedWithMessage(string text)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void WithDigest_TaggedReference_DropsTagKeepsNameAsWritten()
    {
        Assert.True(ImageReference.TryParse("127.0.0.1:5000/shop/web:1.4.2", out var reference, out _));

        Assert.Equal("127.0.0.1:5000/shop/web@sha256:" + Hex, reference.WithDigest("sha256:" + Hex));
    }

    [Theory]
    [InlineData("docker.io/library/nginx@sha256:" + Hex, "nginx@sha256:" + Hex)]
    [InlineData("nginx@sha256:" + Hex, "docker.io/library/nginx@sha256:" + Hex)]
    [InlineData("127.0.0.1:5000/shop/web:1.4@sha256:" + Hex, "127.0.0.1:5000/shop/web@sha256:" + Hex)]
    public void IsMatchedBy_SameImageWrittenDifferently_True(string image, string repoDigest)
    {
        Assert.True(ImageReference.TryParse(image, out var reference, out _));

        Assert.True(reference.IsMatchedBy([repoDigest]));
    }

    [Fact]
    public void IsMatchedBy_OtherRepositoryOrDigest_False()
    {
        Assert.True(ImageReference.TryParse("127.0.0.1:5000/shop@sha256:" + Hex, out var image, out _));

        Assert.True(image.IsMatchedBy(["127.0.0.1:5000/shop@sha256:" + Hex]));
        Assert.False(image.IsMatchedBy(["127.0.0.1:5000/other@sha256:" + Hex]));
        Assert.False(image.IsMatchedBy(["127.0.0.1:5001/shop@sha256:" + Hex]));
        Assert.False(image.IsMatchedBy(["127.0.0.1:5000/shop@sha256:" + new string('f', 64)]));
        Assert.False(image.IsMatchedBy(["garbage"]));
    }

    [Fact]
    public void Pinned_TagAndDigest_NameAtDigest()
    {
        Assert.True(ImageReference.TryParse("127.0.0.1:5000/shop/web:1.4@sha256:" + Hex, out var image, out _));

        Assert.Equal("127.0.0.1:5000/shop/web@sha256:" + Hex, image.Pinned);
    }
}

using Fleet.Agent.Deploy;

namespace Fleet.Agent.Tests.Deploy;

public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void IsMatchedBy_OtherRepositoryOrDigest_False()
    {
        Assert.True(ImageReference.TryParse($"127.0.0.1:5000/shop@{Digest}", out var image));

        Assert.True(image!.IsMatchedBy([$"127.0.0.1:5000/shop@{Digest}"]));
        Assert.False(image.IsMatchedBy([$"127.0.0.1:5000/other@{Digest}"]));
        Assert.False(image.IsMatchedBy([$"127.0.0.1:5000/shop@sha256:{new string('f', 64)}"]));
    }
}

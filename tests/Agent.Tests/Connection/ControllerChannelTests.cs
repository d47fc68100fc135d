using Fleet.Agent.Connection;
using Fleet.Agent.Identity;
using Fleet.Agent.Tests.Identity;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Connection;

public sealed class ControllerChannelTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestCa _ca = new(DateTimeOffset.UtcNow);
    private readonly AgentCredentials _credentials;

    public ControllerChannelTests()
    {
        var store = new IdentityStore(_dir.Path);
        using var key = new KeyAndRequest("web-1");
        var now = DateTimeOffset.UtcNow;
        store.Create(IdentityStoreTests.Config() with { CaPins = [_ca.Pin] }, new IdentityFiles(key.KeyPem, _ca.Issue(key.CsrDer, now, now.AddHours(1)), _ca.BundlePem), overwrite: false);
        _credentials = new AgentCredentials(store.Load());
    }

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Acquire_SameCertificate_ReusesTheChannel()
    {
        using var channel = new ControllerChannel(_credentials);

        using var first = channel.Acquire();
        using var second = channel.Acquire();

        Assert.Same(first.Client, second.Client);
    }

    [Fact]
    public void Acquire_AfterRenewal_UsesANewChannelWhileTheOldLeaseKeepsItsOwn()
    {
        using var channel = new ControllerChannel(_credentials);
        using var before = channel.Acquire();
        using var key = new KeyAndRequest("web-1");
        var now = DateTimeOffset.UtcNow;
        _credentials.Swap(key.AcceptIssued(_ca.Issue(key.CsrDer, now, now.AddHours(1)), _ca.BundlePem, [_ca.Pin]), now);

        using var after = channel.Acquire();

        Assert.NotSame(before.Client, after.Client);
    }
}

using System.Text;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class TrustPolicyStoreTests : IDisposable
{
    private readonly TestTrust _trust = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fleet-trust-" + Guid.NewGuid().ToString("N"));
    private readonly TrustPolicyStore _store;

    public TrustPolicyStoreTests() => _store = new TrustPolicyStore(Path.Combine(_folder, "etc", "trust.json"));

    [Fact]
    public void Load_NothingInstalled_Null() => Assert.Null(_store.Load());

    [Fact]
    public void Install_FirstThenRotation_LoadReturnsNewest()
    {
        Assert.True(_store.Install(_trust.Policy(1).Sign([_trust.Alice, _trust.Bob]).ToJson(), allowFirstInstall: true, TestTrust.Now).IsAccepted);
        Assert.True(_store.Install(_trust.Policy(2).Sign([_trust.Alice, _trust.Bob]).ToJson(), allowFirstInstall: true, TestTrust.Now).IsAccepted);

        Assert.Equal(2, _store.Load()!.Policy.Version);
        Assert.Single(Directory.EnumerateFiles(Path.GetDirectoryName(_store.Path)!));
    }

    [Fact]
    public void Install_RefusedRotation_FileUnchanged()
    {
        _store.Install(_trust.Policy(1).Sign([_trust.Alice, _trust.Bob]).ToJson(), allowFirstInstall: true, TestTrust.Now);
        var before = File.ReadAllBytes(_store.Path);

        var decision = _store.Install(_trust.Policy(2).Sign([_trust.Alice]).ToJson(), allowFirstInstall: true, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.NotSignedByCurrentRoots, decision.Refusal);
        Assert.Equal(before, File.ReadAllBytes(_store.Path));
    }

    [Fact]
    public void Load_FileEditedByHand_Refused()
    {
        _store.Install(_trust.Policy(1).Sign([_trust.Alice, _trust.Bob]).ToJson(), allowFirstInstall: true, TestTrust.Now);
        var envelope = DsseEnvelope.Parse(File.ReadAllBytes(_store.Path), TrustPolicy.PayloadType);
        var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(envelope.Payload).Replace("\"version\":1", "\"version\":9", StringComparison.Ordinal));
        File.WriteAllBytes(_store.Path, (envelope with { Payload = edited }).ToJson());

        var ex = Assert.Throws<DsseFormatException>(() => _store.Load());

        Assert.Contains("signed by 0 of its root keys", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _trust.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

using Fleet.Agent.Hosting;
using Fleet.Agent.Tests.Support;
using Fleet.Agent.Trust;
using Fleet.Core.Trust;

namespace Fleet.Agent.Tests.Trust;

public sealed class TrustInstallCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestKeys _keys = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    [Fact]
    public async Task Install_NoPolicyYet_InstallsFirstPolicy()
    {
        var file = Write("v1.json", _keys.Policy(1, _keys.Alice, _keys.Bob).Sign([_keys.Alice, _keys.Bob]));

        var exit = await InstallAsync(file);

        Assert.Equal(0, exit);
        Assert.Equal(1, new AgentTrust(_dir.Combine("state")).Load()?.Policy.Version);
        Assert.Contains("trust policy v1 installed", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_RotationSignedByCurrentRoots_Replaces()
    {
        await InstallAsync(Write("v1.json", _keys.Policy(1, _keys.Alice, _keys.Bob).Sign([_keys.Alice, _keys.Bob])));
        var v2 = Write("v2.json", _keys.Policy(2, _keys.Alice, _keys.Carol).Sign([_keys.Alice, _keys.Bob, _keys.Carol]));

        var exit = await InstallAsync(v2);

        Assert.Equal(0, exit);
        var installed = new AgentTrust(_dir.Combine("state")).Load()!.Policy;
        Assert.Equal(2, installed.Version);
        Assert.Contains(_keys.Carol.KeyId, installed.Root.KeyIds);
    }

    [Fact]
    public async Task Install_RotationWithoutCurrentRootThreshold_RefusedAndFileUnchanged()
    {
        await InstallAsync(Write("v1.json", _keys.Policy(1, _keys.Alice, _keys.Bob).Sign([_keys.Alice, _keys.Bob])));
        var before = File.ReadAllBytes(_dir.Combine("state/trust.json"));
        var v2 = Write("v2.json", _keys.Policy(2, _keys.Carol).Sign([_keys.Alice, _keys.Carol]));

        var exit = await InstallAsync(v2);

        Assert.Equal(1, exit);
        Assert.Contains(nameof(TrustPolicyRefusalCode.NotSignedByCurrentRoots), _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 of the current root keys; 2 required", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_dir.Combine("state/trust.json")));
    }

    [Fact]
    public async Task Install_SameVersionAgain_Refused()
    {
        var v1 = Write("v1.json", _keys.Policy(1, _keys.Alice, _keys.Bob).Sign([_keys.Alice, _keys.Bob]));
        await InstallAsync(v1);

        var exit = await InstallAsync(v1);

        Assert.Equal(1, exit);
        Assert.Contains(nameof(TrustPolicyRefusalCode.VersionNotHigher), _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_NotSignedByItsOwnRoots_RefusedAndNothingWritten()
    {
        var file = Write("v1.json", _keys.Policy(1, _keys.Alice, _keys.Bob).Sign([_keys.Alice]));

        var exit = await InstallAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains(nameof(TrustPolicyRefusalCode.NotSignedByOwnRoots), _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("state/trust.json")));
    }

    [Fact]
    public async Task Install_GarbageFile_RefusedAsMalformed()
    {
        var file = _dir.Combine("garbage.json");
        File.WriteAllText(file, "{not json");

        var exit = await InstallAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains(nameof(TrustPolicyRefusalCode.Malformed), _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("state/trust.json")));
    }

    [Fact]
    public async Task Install_MissingFile_ExitsOneWithReason()
    {
        var exit = await InstallAsync(_dir.Combine("absent.json"));

        Assert.NotEqual(0, exit);
        Assert.Contains("absent.json", _error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _dir.Dispose();
        _out.Dispose();
        _error.Dispose();
    }

    private Task<int> InstallAsync(string file) =>
        new AgentCommandLine(_ => null) { Out = _out, Error = _error }
            .InvokeAsync(["trust", "install", file, "--state-dir", _dir.Combine("state")], TestContext.Current.CancellationToken);

    private string Write(string name, DsseEnvelope envelope)
    {
        var path = _dir.Combine(name);
        File.WriteAllBytes(path, envelope.ToJson());
        return path;
    }
}

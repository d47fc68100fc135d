using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Fleet.Core.Trust;

namespace Fleet.Cli.Tests.Trust;

public sealed class TrustCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Init_TwoRootsThreshold2_SignedByBothAndOpens()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "bob"));
        var path = _cli.TempPath("trust.json");

        Assert.Equal(0, await _cli.RunAsync("trust", "init", "--root-key", "alice", "--root-key", "bob", "--root-threshold", "2",
            "--env", "staging=alice,bob:1", "--env", "production=alice,bob:2", "-o", path));

        var policy = SignedTrustPolicy.Open(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        Assert.Equal(1, policy.Policy.Version);
        Assert.Equal(2, policy.Policy.Root.Threshold);
        Assert.Equal(2, policy.Envelope.Signatures.Count);
        Assert.Equal(2, policy.Policy.Environments["production"].Threshold);
        Assert.Equal(1, policy.Policy.Environments["staging"].Threshold);
    }

    [Fact]
    public async Task Init_MaxValidityForProduction_WrittenToThePolicy()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        var path = _cli.TempPath("trust.json");

        Assert.Equal(0, await _cli.RunAsync("trust", "init", "--root-key", "alice", "--env", "staging=alice:1", "--env", "production=alice:1",
            "--max-validity", "production=2d", "-o", path));

        var policy = SignedTrustPolicy.Open(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)).Policy;
        Assert.Equal(TimeSpan.FromDays(2), policy.MaxValidityFor("production"));
        Assert.Equal(TrustPolicy.DefaultMaxValidity, policy.MaxValidityFor("staging"));
    }

    [Theory]
    [InlineData("production", "not ENV=DURATION")]
    [InlineData("production=forever", "is not a duration")]
    [InlineData("qa=1h", "max_validity names environment 'qa', which has no rule")]
    [InlineData("production=400d", "must be between 1m and 8784h")]
    public async Task Init_BadMaxValidity_UsageErrorNoFile(string value, string expected)
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        var path = _cli.TempPath("trust.json");

        Assert.Equal(2, await _cli.RunAsync("trust", "init", "--root-key", "alice", "--env", "production=alice:1", "--max-validity", value, "-o", path));

        Assert.Contains(expected, _cli.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Init_UnknownKey_RefusedNoFile()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        var path = _cli.TempPath("trust.json");

        Assert.Equal(2, await _cli.RunAsync("trust", "init", "--root-key", "alice", "--env", "staging=alice,carol:1", "-o", path));

        Assert.Contains("carol", _cli.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Init_MalformedEnvRule_UsageError()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));

        Assert.Equal(2, await _cli.RunAsync("trust", "init", "--root-key", "alice", "--env", "staging=alice:3", "-o", _cli.TempPath("t.json")));

        Assert.Contains("threshold", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_SecondRoot_PolicyOpensOnlyAfterBothSigned()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "bob"));
        var path = _cli.TempPath("trust.json");
        Assert.Equal(0, await _cli.RunAsync("trust", "init", "--root-key", "alice", "--root-key", "bob", "--root-threshold", "2",
            "--env", "staging=alice:1", "--sign-with", "alice", "-o", path));
        Assert.Throws<DsseFormatException>(() => SignedTrustPolicy.Open(File.ReadAllBytes(path)));

        Assert.Equal(0, await _cli.RunAsync("trust", "sign", path, "--key", "bob"));
        Assert.Equal(0, await _cli.RunAsync("trust", "sign", path, "--key", "bob"));

        var policy = SignedTrustPolicy.Open(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        Assert.Equal(2, policy.Envelope.Signatures.Count);
    }

    [Fact]
    public async Task Push_File_SendsExactBytes()
    {
        _cli.SaveTwoContexts();
        _cli.Api.TrustSet = new SetTrustPolicyResponse { Version = 3 };
        var path = _cli.TempPath("trust.json");
        byte[] bytes = [1, 2, 3];
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        Assert.Equal(0, await _cli.RunAsync("trust", "push", path));

        var request = Assert.IsType<SetTrustPolicyRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(bytes, request.Envelope.ToByteArray());
        Assert.Contains("trust policy v3 installed", _cli.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}

using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Cli.Tests.Releases;

/// <summary>
/// <c>releases show</c> and <c>approve</c> read the signed payload themselves and check it against
/// the operator's own trust policy; a controller that serves something else is caught.
/// </summary>
public sealed class ReleaseReviewTests : IDisposable
{
    private const string OldImage = "r.example/shop/web@sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string NewImage = "r.example/shop/web@sha256:" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private readonly CliHarness _cli = new();
    private readonly OperatorKey _alice = OperatorKey.Generate("alice");
    private readonly OperatorKey _mallory = OperatorKey.Generate("mallory");
    private OperatorKeyInfo _bob = null!;

    public ReleaseReviewTests() => _cli.SaveTwoContexts();

    [Fact]
    public async Task Show_Json_DecodesPayloadVerifiesSignersAndDiffsAgainstRunning()
    {
        await SetUpAsync();
        Serve(Sign(Manifest(3, NewImage), _alice));

        Assert.Equal(0, await _cli.RunAsync("releases", "show", "r-3", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        var signed = json.RootElement.GetProperty("signed");
        Assert.Equal("production", signed.GetProperty("environment").GetString());
        Assert.Equal(3, signed.GetProperty("sequence").GetInt64());
        Assert.Equal("sha256:" + new string('b', 64), signed.GetProperty("services")[0].GetProperty("digest").GetString());
        Assert.Equal("migrate", signed.GetProperty("hooks")[0].GetProperty("name").GetString());
        var signature = Assert.Single(signed.GetProperty("signatures").EnumerateArray());
        Assert.Equal("alice", signature.GetProperty("verifiedKey").GetString());
        Assert.Equal(2, signed.GetProperty("threshold").GetInt32());
        Assert.Equal("r-2", signed.GetProperty("running").GetProperty("releaseId").GetString());
        var changes = signed.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["service web", "hook migrate"], changes.Select(c => $"{c.GetProperty("kind").GetString()} {c.GetProperty("name").GetString()}"));
        Assert.Equal(OldImage, changes[0].GetProperty("from").GetString());
        Assert.Equal(NewImage, changes[0].GetProperty("to").GetString());
        Assert.Empty(signed.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public async Task Show_Text_PrintsImagesSignerThresholdAndChange()
    {
        await SetUpAsync();
        Serve(Sign(Manifest(3, NewImage), _alice));

        Assert.Equal(0, await _cli.RunAsync("releases", "show", "r-3"));

        Assert.Contains($"service     web: {NewImage}", _cli.Out, StringComparison.Ordinal);
        Assert.Contains($"signed by   alice ({_alice.KeyId})", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("threshold   1 of 2 required", _cli.Out, StringComparison.Ordinal);
        Assert.Contains($"service web: {OldImage} -> {NewImage}", _cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("PROBLEMS", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_Yes_SendsOwnSignatureOverTheReviewedPayload()
    {
        await SetUpAsync();
        var stored = Sign(Manifest(3, NewImage), _alice);
        Serve(stored);

        Assert.Equal(0, await _cli.RunAsync("releases", "approve", "r-3", "--yes"));

        var approval = DsseEnvelope.Parse(Assert.IsType<ApproveReleaseRequest>(_cli.Api.Requests[^1]).Envelope.Span, ReleaseManifest.PayloadType);
        Assert.Equal(stored.Payload, approval.Payload);
        Assert.Equal([_bob.KeyId], DsseVerifier.VerifiedSigners(approval, [_bob.PublicKey]));
        Assert.Contains("release r-3 signed 2/2; rollout ro-3 running", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_NoTerminalAndNoYes_RefusedBeforeAskingTheController()
    {
        await SetUpAsync();
        Serve(Sign(Manifest(3, NewImage), _alice));

        Assert.Equal(2, await _cli.RunAsync("releases", "approve", "r-3"));

        Assert.Contains("no terminal to ask on", _cli.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Api.Requests);
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("n", false)]
    [InlineData("", false)]
    public async Task Approve_Terminal_SignsOnlyWhenTheAnswerIsYes(string answer, bool sent)
    {
        await SetUpAsync();
        Serve(Sign(Manifest(3, NewImage), _alice));
        _cli.TerminalInput = answer + "\n";

        var code = await _cli.RunAsync("releases", "approve", "r-3");

        Assert.Equal(sent ? 0 : 1, code);
        Assert.Contains("Sign release r-3 (shop/production #3) with bob? [y/N]", _cli.Out, StringComparison.Ordinal);
        Assert.Equal(sent, _cli.Api.Requests.OfType<ApproveReleaseRequest>().Any());
    }

    [Fact]
    public async Task Approve_ControllerListsAnotherSequence_RefusedShowingBoth()
    {
        await SetUpAsync();
        Serve(Sign(Manifest(3, NewImage), _alice), listedSequence: 4);

        Assert.Equal(1, await _cli.RunAsync("releases", "approve", "r-3", "--yes"));

        Assert.Contains("the controller lists it as shop/production #4, but its signed payload is shop/production #3", _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is ApproveReleaseRequest);
    }

    [Fact]
    public async Task Approve_Expired_Refused()
    {
        await SetUpAsync();
        Serve(Sign(Manifest(3, NewImage), _alice));
        _cli.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, await _cli.RunAsync("releases", "approve", "r-3", "--yes"));

        Assert.Contains("it expired 1h ago", _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is ApproveReleaseRequest);
    }

    [Fact]
    public async Task Approve_SignatureByAKeyOutsideYourPolicy_RefusedEvenThoughTheControllerVouches()
    {
        await SetUpAsync();
        var forged = Sign(Manifest(3, NewImage), _mallory);
        Serve(forged with { Signatures = [forged.Signatures[0] with { KeyId = _alice.KeyId }] });

        Assert.Equal(1, await _cli.RunAsync("releases", "approve", "r-3", "--yes"));

        Assert.Contains("1 of its 1 signatures do not verify with a key of your trust policy v1", _cli.Error, StringComparison.Ordinal);
        Assert.Contains("the controller claims signers alice, but the signatures verify for (none)", _cli.Error, StringComparison.Ordinal);
        Assert.Contains("NOT VERIFIED", _cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is ApproveReleaseRequest);
    }

    [Fact]
    public async Task Approve_SignedPayloadThatIsNotARelease_Refused()
    {
        await SetUpAsync();
        Serve(Dsse.Sign(ReleaseManifest.PayloadType, "{\"environment\":\"production\"}"u8.ToArray(), [_alice]));

        Assert.Equal(1, await _cli.RunAsync("releases", "approve", "r-3", "--yes"));

        Assert.Contains("its signed payload is not a valid release", _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is ApproveReleaseRequest);
    }

    [Fact]
    public async Task Approve_NoLocalTrustPolicy_RefusedNamingTheOption()
    {
        await SetUpAsync();
        File.Delete(Path.Combine(_cli.ConfigFolder, "trust.json"));
        Serve(Sign(Manifest(3, NewImage), _alice));

        Assert.Equal(1, await _cli.RunAsync("releases", "approve", "r-3", "--yes"));

        Assert.Contains("--trust-policy FILE", _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is ApproveReleaseRequest);
    }

    [Fact]
    public async Task Approve_TrustPolicyOption_UsesThatFile()
    {
        await SetUpAsync();
        var elsewhere = _cli.TempPath("policy.json");
        File.Move(Path.Combine(_cli.ConfigFolder, "trust.json"), elsewhere);
        Serve(Sign(Manifest(3, NewImage), _alice));

        Assert.Equal(0, await _cli.RunAsync("releases", "approve", "r-3", "--yes", "--trust-policy", elsewhere));

        Assert.Contains(_cli.Api.Requests, r => r is ApproveReleaseRequest);
    }

    /// <summary>bob's key in the key folder; trust.json beside the config: root alice, production alice and bob 2-of-2.</summary>
    private async Task SetUpAsync()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "bob"));
        _bob = new OperatorKeyStore(Path.Combine(_cli.ConfigFolder, "keys")).LoadPublic("bob");
        var policy = TrustPolicy.Create(
            1,
            [new TrustedKey("alice", _alice.PublicKey), new TrustedKey("bob", _bob.PublicKey)],
            new ThresholdRule(new HashSet<string>([_alice.KeyId], StringComparer.Ordinal), 1),
            new Dictionary<string, ThresholdRule> { ["production"] = new(new HashSet<string>([_alice.KeyId, _bob.KeyId], StringComparer.Ordinal), 2) });
        await File.WriteAllBytesAsync(Path.Combine(_cli.ConfigFolder, "trust.json"), policy.Sign([_alice]).ToJson(), TestContext.Current.CancellationToken);
    }

    /// <summary>The controller serves <paramref name="envelope"/> as r-3, and r-2 (old image, signed by both) as the release running now.</summary>
    private void Serve(DsseEnvelope envelope, long listedSequence = 3)
    {
        _cli.Api.Release = new GetReleaseResponse
        {
            Release = new Release
            {
                ReleaseId = "r-3", App = "shop", Environment = "production", Sequence = listedSequence, Threshold = 2,
                Signers = { _alice.KeyId }, Envelope = ByteString.CopyFrom(envelope.ToJson()), RolloutId = "ro-3",
            },
        };
        using var bob = new Fleet.Core.Trust.OperatorKeyStore(Path.Combine(_cli.ConfigFolder, "keys")).LoadPrivate("bob");
        _cli.Api.Releases = new ListReleasesResponse
        {
            Releases =
            {
                _cli.Api.Release.Release,
                new Release
                {
                    ReleaseId = "r-2", App = "shop", Environment = "production", Sequence = 2, Threshold = 2, ThresholdMet = true,
                    Signers = { _alice.KeyId, _bob.KeyId }, RolloutState = RolloutState.Succeeded,
                    Envelope = ByteString.CopyFrom(Sign(Manifest(2, OldImage), _alice, bob).ToJson()),
                },
            },
        };
        _cli.Api.Approved = new ApproveReleaseResponse
        {
            Release = new Release { ReleaseId = "r-3", Threshold = 2, ThresholdMet = true, Signers = { _alice.KeyId, _bob.KeyId } },
            Rollout = new Rollout { RolloutId = "ro-3", State = RolloutState.Running },
        };
    }

    private static ReleaseManifest Manifest(long sequence, string image) => ReleaseManifest.Create(
        new ReleaseDefinition
        {
            App = "shop",
            Services = [new ServiceSpec { Name = "web", Image = image }],
            Hooks = [new HookSpec { Name = "migrate", Service = "web", Image = image, Command = ["./migrate"] }],
        },
        "production", sequence, CliHarness.Now, TimeSpan.FromHours(1));

    private static DsseEnvelope Sign(ReleaseManifest manifest, params OperatorKey[] keys) => manifest.Sign(keys);

    public void Dispose()
    {
        _alice.Dispose();
        _mallory.Dispose();
        _cli.Dispose();
    }
}

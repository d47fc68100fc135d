using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Cli.Tests.Releases;

public sealed class ReleasesCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public ReleasesCommandsTests() => _cli.SaveTwoContexts();

    [Fact]
    public async Task List_Json_OneEntryPerRelease()
    {
        _cli.Api.Releases = new ListReleasesResponse
        {
            Releases = { new Release { ReleaseId = "r-1", App = "shop", Environment = "production", Sequence = 3, Threshold = 2, Signers = { "sha256:a" }, RolloutId = "ro-1" } },
        };

        Assert.Equal(0, await _cli.RunAsync("releases", "list", "--app", "shop", "--output", "json"));

        Assert.Equal("shop", Assert.IsType<ListReleasesRequest>(Assert.Single(_cli.Api.Requests)).App);
        using var json = JsonDocument.Parse(_cli.Out);
        var release = Assert.Single(json.RootElement.GetProperty("releases").EnumerateArray());
        Assert.Equal(3, release.GetProperty("sequence").GetInt64());
        Assert.False(release.GetProperty("thresholdMet").GetBoolean());
        Assert.Equal("ro-1", release.GetProperty("rolloutId").GetString());
    }

    [Fact]
    public async Task List_Table_ShowsAwaitingApproval()
    {
        _cli.Api.Releases = new ListReleasesResponse { Releases = { new Release { ReleaseId = "r-1", App = "shop", Environment = "production", Sequence = 3, Threshold = 2, Signers = { "sha256:a" } } } };

        Assert.Equal(0, await _cli.RunAsync("releases", "list"));

        Assert.Contains("1/2 (awaiting approval)", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_StoredRelease_SendsOwnSignatureOverSamePayload()
    {
        await _cli.RunAsync("keys", "generate", "--name", "bob");
        using var alice = OperatorKey.Generate("alice");
        var stored = ReleaseManifest.Create(
            new ReleaseDefinition { App = "shop", Services = [new ServiceSpec { Name = "web", Image = "r.example/web@sha256:" + new string('a', 64) }] },
            "production", 3, CliHarness.Now, TimeSpan.FromHours(1)).Sign([alice]);
        _cli.Api.Release = new GetReleaseResponse { Release = new Release { ReleaseId = "r-1", Envelope = ByteString.CopyFrom(stored.ToJson()) } };
        _cli.Api.Approved = new ApproveReleaseResponse
        {
            Release = new Release { ReleaseId = "r-1", Threshold = 2, ThresholdMet = true, Signers = { "a", "b" } },
            Rollout = new Rollout { RolloutId = "ro-1", State = RolloutState.Running },
        };

        Assert.Equal(0, await _cli.RunAsync("releases", "approve", "r-1"));

        var approve = Assert.IsType<ApproveReleaseRequest>(_cli.Api.Requests[^1]);
        var envelope = DsseEnvelope.Parse(approve.Envelope.Span, ReleaseManifest.PayloadType);
        Assert.Equal(stored.Payload, envelope.Payload);
        var bob = new OperatorKeyStore(Path.Combine(_cli.ConfigFolder, "keys")).LoadPublic("bob");
        Assert.Equal([bob.KeyId], DsseVerifier.VerifiedSigners(envelope, [bob.PublicKey]));
        Assert.Contains("release r-1 signed 2/2; rollout ro-1 running", _cli.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}

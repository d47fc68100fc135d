using System.Text;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Fleet.Integration.Tests.Controller;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Releases;

/// <summary>
/// A controller whose database was altered to serve another payload under a known release id:
/// fleetctl releases approve reads the payload itself, checks it against the operator's own trust
/// policy, and refuses to sign, saying why; once the stored release is the one submitted again,
/// the same approval goes through.
/// </summary>
public sealed class TamperedReleaseTests
{
    private const string Image = "127.0.0.1:5000/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string OtherImage = "127.0.0.1:5000/shop/web@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    [Fact]
    public async Task Approve_StoredPayloadAlteredInTheDatabase_RefusedShowingWhyThenApprovedOnceRestored()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var folders = new TempDirectory("tampered");
        var alice = new FleetCli(Path.Combine(folders.Path, "alice"));
        var bob = new FleetCli(Path.Combine(folders.Path, "bob"));
        var endpoint = new Foundation.ControllerEndpoint(controller.Endpoint.Url, controller.Endpoint.CaPin);
        await alice.LoginAsync(endpoint, controller.AdminToken);
        await bob.LoginAsync(endpoint, await controller.CreateTokenAsync(TokenRole.Deployer));
        await alice.OkAsync("keys", "generate", "--name", "alice");
        await bob.OkAsync("keys", "generate", "--name", "bob");
        await alice.OkAsync("keys", "import", "--name", "bob", Path.Combine(folders.Path, "bob", "keys", "bob.pub"));
        var trust = Path.Combine(folders.Path, "trust.json");
        await alice.OkAsync("trust", "init", "--root-key", "alice", "--env", "production=alice,bob:2", "-o", trust);
        await alice.OkAsync("trust", "push", trust);
        File.Copy(trust, Path.Combine(folders.Path, "bob", "trust.json"));
        var file = Path.Combine(folders.Path, "fleet.yaml");
        await File.WriteAllTextAsync(file, $"app: shop\nservices:\n  web:\n    image: {Image}\n", TestContext.Current.CancellationToken);
        await alice.OkAsync("deploy", "-f", file, "--env", "production", "--key", "alice");
        var releaseId = (await alice.JsonAsync("releases", "list", "--app", "shop")).GetProperty("releases")[0].GetProperty("releaseId").GetString()!;
        var original = (byte[])(await controller.Database.ScalarAsync("select envelope from releases where id = $1", releaseId))!;
        var submitted = DsseEnvelope.Parse(original, ReleaseManifest.PayloadType);

        // 1. The payload now names another image; alice's signature still rides along.
        var swapped = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(submitted.Payload).Replace(Image, OtherImage, StringComparison.Ordinal));
        await StoreAsync(controller, releaseId, submitted with { Payload = swapped });
        var forged = await bob.RunAsync("releases", "approve", releaseId, "--yes");

        // 2. A payload alice really signed, but for another sequence than the controller lists.
        using (var aliceKey = new OperatorKeyStore(Path.Combine(folders.Path, "alice", "keys")).LoadPrivate("alice"))
        {
            var other = ReleaseManifest.Parse(submitted.Payload) with { Sequence = 9 };
            await StoreAsync(controller, releaseId, other.Sign([aliceKey]));
        }

        var misfiled = await bob.RunAsync("releases", "approve", releaseId, "--yes");
        var shown = await bob.JsonAsync("releases", "show", releaseId);
        var signaturesAfterRefusals = await controller.Database.ScalarAsync("select cardinality(signers) from releases where id = $1", releaseId);

        // 3. The stored release is the submitted one again.
        await StoreAsync(controller, releaseId, submitted);
        var approved = await bob.RunAsync("releases", "approve", releaseId, "--yes");

        Assert.Equal(1, forged.ExitCode);
        Assert.Contains($"service     web: {OtherImage}", forged.Stdout, StringComparison.Ordinal);
        Assert.Contains("NOT VERIFIED", forged.Stdout, StringComparison.Ordinal);
        Assert.Contains($"refusing to sign release {releaseId}", forged.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 of its 1 signatures do not verify with a key of your trust policy v1", forged.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, misfiled.ExitCode);
        Assert.Contains("the controller lists it as shop/production #1, but its signed payload is shop/production #9", misfiled.Stderr, StringComparison.Ordinal);
        Assert.Equal(9, shown.GetProperty("signed").GetProperty("sequence").GetInt64());
        Assert.NotEmpty(shown.GetProperty("signed").GetProperty("problems").EnumerateArray());
        Assert.Equal(1, signaturesAfterRefusals);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains($"service     web: {Image}", approved.Stdout, StringComparison.Ordinal);
        Assert.Contains("signed 2/2", approved.Stdout, StringComparison.Ordinal);
    }

    private static async Task StoreAsync(ControllerHarness controller, string releaseId, DsseEnvelope envelope) =>
        await controller.Database.ScalarAsync("update releases set envelope = $2 where id = $1", releaseId, envelope.ToJson());
}

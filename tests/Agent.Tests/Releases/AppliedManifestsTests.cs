using Fleet.Agent.Releases;
using Fleet.Agent.Tests.Support;
using Fleet.Core.Releases;

namespace Fleet.Agent.Tests.Releases;

public sealed class AppliedManifestsTests : IDisposable
{
    private readonly TempDir _state = new();

    private string FilePath => Path.Combine(_state.Path, "releases", "manifests.json");

    [Fact]
    public void TryReturnTo_AfterARestart_ThePreviousManifestFromAnOwnerOnlyFileWrittenWhole()
    {
        var before = new AppliedManifests(_state.Path);
        before.Applied("shop", 1, Payload(1));
        before.Applied("shop", 2, Payload(2));

        var returned = new AppliedManifests(_state.Path).TryReturnTo("shop", 1, out var serving);

        Assert.True(returned);
        Assert.Equal(("shop", 1L), (serving!.App, serving.Sequence));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal([FilePath], Directory.GetFiles(Path.GetDirectoryName(FilePath)!));
    }

    [Fact]
    public void TryReturnTo_ReleaseNeverKept_FalseAndNothingChanges()
    {
        var manifests = new AppliedManifests(_state.Path);
        manifests.Applied("shop", 2, Payload(2));
        var written = File.ReadAllBytes(FilePath);

        Assert.False(manifests.TryReturnTo("shop", 1, out var serving));

        Assert.Null(serving);
        Assert.Equal(written, File.ReadAllBytes(FilePath));
    }

    [Fact]
    public void TryReturnTo_Nothing_TrueWithoutAManifest()
    {
        var manifests = new AppliedManifests(_state.Path);
        manifests.Applied("shop", 1, Payload(1));

        Assert.True(manifests.TryReturnTo("shop", 0, out var serving));

        Assert.Null(serving);
    }

    // As in the deploy journal: after a rollback from 2 to 1, release 3 replaces 1, so 1 is what 3 rolls back to.
    [Fact]
    public void Applied_AfterARollback_TheReleaseReturnedToBecomesThePrevious()
    {
        var manifests = new AppliedManifests(_state.Path);
        manifests.Applied("shop", 1, Payload(1));
        manifests.Applied("shop", 2, Payload(2));
        Assert.True(manifests.TryReturnTo("shop", 1, out _));

        manifests.Applied("shop", 3, Payload(3));

        Assert.True(manifests.TryReturnTo("shop", 1, out var serving));
        Assert.Equal(1, serving!.Sequence);
        Assert.False(manifests.TryReturnTo("shop", 2, out _));
    }

    public void Dispose() => _state.Dispose();

    private static byte[] Payload(long sequence) => new ReleaseManifest
    {
        Environment = "staging",
        Sequence = sequence,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddDays(1),
        Release = new ReleaseDefinition
        {
            App = "shop",
            Services = [new ServiceSpec { Name = "web", Image = "127.0.0.1:5000/shop/web@sha256:" + new string('a', 64) }],
        },
    }.ToCanonicalJson();
}

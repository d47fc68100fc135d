using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;

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

    public void Dispose() => _cli.Dispose();
}

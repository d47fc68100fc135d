using Fleet.Cli.Output;
using Fleet.Cli.Rollouts;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Releases;

internal static class ReleaseFormatter
{
    public static ReleaseJson ToJson(Release release, Rollout? rollout) => new(
        release.ReleaseId, release.App, release.Environment, release.Sequence,
        Humanize.Iso(release.CreatedAt), Humanize.Iso(release.ExpiresAt),
        [.. release.Signers], release.Threshold, release.ThresholdMet,
        release.RolloutId.Length == 0 ? null : release.RolloutId,
        rollout is null ? null : RolloutFormatter.StateName(rollout.State));

    public static Table Table(IEnumerable<Release> releases, DateTimeOffset now)
    {
        var table = Renderer.Table("ID", "APP", "ENV", "SEQ", "SIGNED", "CREATED", "ROLLOUT");
        foreach (var release in releases)
        {
            table.AddRow(
                new Text(release.ReleaseId), new Text(release.App), new Text(release.Environment),
                new Text(release.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(Signed(release)), new Text(Humanize.Relative(release.CreatedAt, now)), new Text(release.RolloutId));
        }

        return table;
    }

    public static string Signed(Release release) =>
        $"{release.Signers.Count}/{release.Threshold}{(release.ThresholdMet ? "" : " (awaiting approval)")}";
}

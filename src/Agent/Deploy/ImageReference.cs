using System.Text.RegularExpressions;

namespace Fleet.Agent.Deploy;

/// <summary>An image reference pinned by digest: <c>repository@sha256:64-hex</c>.</summary>
internal sealed partial record ImageReference(string Repository, string Digest)
{
    public override string ToString() => $"{Repository}@{Digest}";

    public static bool TryParse(string reference, out ImageReference? image)
    {
        var match = Pattern().Match(reference);
        image = match.Success ? new ImageReference(match.Groups["repo"].Value, match.Groups["digest"].Value) : null;
        return match.Success;
    }

    /// <summary>True when Docker's RepoDigests of the local image contain exactly this repository and digest.</summary>
    public bool IsMatchedBy(IEnumerable<string> repoDigests) =>
        repoDigests.Any(d => string.Equals(d, ToString(), StringComparison.Ordinal));

    [GeneratedRegex("^(?<repo>[a-z0-9][a-z0-9._:/-]*[a-z0-9])@(?<digest>sha256:[a-f0-9]{64})$")]
    private static partial Regex Pattern();
}

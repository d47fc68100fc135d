using System.Text.RegularExpressions;

namespace Fleet.Core.Releases;

/// <summary>
/// A parsed image reference <c>[registry/]repository[:tag][@sha256:digest]</c>, with Docker's
/// rule for the registry: the first component is a registry host when it contains '.' or ':'
/// or is <c>localhost</c>; otherwise the image is on Docker Hub. The one parser of image
/// references: fleetctl, the controller and the agent (which pulls <see cref="Pinned"/>) all use it.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>True when the image is pinned to content by a sha256 digest.</summary>
    public bool IsPinned => Digest is not null;

    /// <summary>The name as written, without tag or digest (e.g. <c>127.0.0.1:5000/shop/web</c> or <c>nginx</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>name@sha256:…</c> (any tag dropped): the form agents pull and run. Only for a pinned reference.</summary>
    public string Pinned => Digest is { } digest ? $"{Name}@{digest}" : throw new InvalidOperationException($"{Name} is not pinned by digest");

    /// <summary>
    /// True when one of Docker's RepoDigests of a local image is this registry, repository and
    /// digest, however either is written (<c>nginx@…</c> is <c>docker.io/library/nginx@…</c>).
    /// </summary>
    public bool IsMatchedBy(IEnumerable<string> repoDigests)
    {
        ArgumentNullException.ThrowIfNull(repoDigests);
        return Digest is not null && repoDigests.Any(d => TryParse(d, out var other, out _)
            && other.Registry == Registry && other.Repository == Repository && other.Digest == Digest);
    }

    /// <summary><c>name@sha256:…</c>: the form agents pull by.</summary>
    public string WithDigest(string digest)
    {
        if (!DigestPattern().IsMatch(digest))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest", nameof(digest));
        }

        return $"{Name}@{digest}";
    }

    public static bool TryParse(string text, out ImageReference reference, out string error)
    {
        reference = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > 512)
        {
            error = "an image reference must be 1-512 characters";
            return false;
        }

        var match = ReferencePattern().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not an image reference like registry.example.com/team/app:1.2 or app@sha256:<64 hex>";
            return false;
        }

        var name = match.Groups["name"].Value;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : name[..slash];
        var hasRegistry = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        if (hasRegistry && !RegistryPattern().IsMatch(first))
        {
            error = $"'{first}' is not a registry host (DNS name or IP address, optionally :port)";
            return false;
        }

        var registry = hasRegistry ? first : DockerHub;
        var repository = hasRegistry ? name[(slash + 1)..] : name;
        if (!RepositoryPattern().IsMatch(repository))
        {
            error = $"'{repository}' is not a valid repository name (lowercase components separated by '/')";
            return false;
        }

        if (!hasRegistry && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        reference = new ImageReference(
            registry,
            repository,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? match.Groups["digest"].Value : null)
        {
            Name = name,
        };
        return true;
    }

    [GeneratedRegex(@"^(?<name>[^:@/]+(?::[0-9]+(?=/))?(?:/[^:@]+)?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?\z")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex RepositoryPattern();

    // DNS labels (Docker allows upper case in the host) or an IPv4 address, then an optional port 1-65535.
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?\z")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}\z")]
    private static partial Regex DigestPattern();
}

namespace Fleet.Core.Releases;

/// <summary>
/// Which host paths a release may mount into a container. Checked at signing (against the agent's
/// default state folder) and again by every agent (against its own), so that a signed release
/// cannot hand a container the host's root, its configuration, the agent's keys and journal, or
/// (unless declared) the Docker socket, which is root on the host.
/// </summary>
public static class MountRules
{
    /// <summary>The capability a service declares to mount the Docker socket.</summary>
    public const string DockerSocketCapability = "docker-socket";

    /// <summary>The agent's state folder unless its host says otherwise.</summary>
    public const string DefaultAgentStateFolder = "/var/lib/fleet-agent";

    /// <summary>Every capability a service may declare.</summary>
    public static readonly IReadOnlyList<string> KnownCapabilities = [DockerSocketCapability];

    private static readonly string[] DockerSockets = ["/var/run/docker.sock", "/run/docker.sock"];

    /// <summary>True when <paramref name="source"/> names a Docker volume rather than a host path.</summary>
    public static bool IsVolumeName(string source) =>
        source.Length is > 0 and <= 128 && char.IsAsciiLetterOrDigit(source[0])
        && source.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>Why a volume source is refused, or null when it may be mounted.</summary>
    public static string? Refusal(string source, IReadOnlyCollection<string>? capabilities, string agentStateFolder)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(agentStateFolder);
        if (!source.StartsWith('/'))
        {
            return IsVolumeName(source)
                ? null
                : $"'{source}' is a relative path; a source is an absolute host path or a volume name ([A-Za-z0-9][A-Za-z0-9_.-]*)";
        }

        var segments = source.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            return $"'{source}' contains '..'; write the host path without it";
        }

        var path = "/" + string.Join('/', segments);
        if (path == "/")
        {
            return "the host's root folder '/' cannot be mounted";
        }

        if (path == "/etc")
        {
            return "the host's '/etc' cannot be mounted; mount the folder the service needs, e.g. /etc/APP";
        }

        var state = "/" + string.Join('/', agentStateFolder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (Overlaps(path, state))
        {
            return $"'{path}' holds the Fleet agent's own state ({state}: its keys, trust policy and journal) and cannot be mounted";
        }

        var socketAllowed = capabilities?.Contains(DockerSocketCapability, StringComparer.Ordinal) == true;
        return !socketAllowed && DockerSockets.Any(socket => Overlaps(path, socket))
            ? $"'{path}' exposes the Docker socket, which is root on the host; declare 'capabilities: [{DockerSocketCapability}]' on the service to mount it"
            : null;
    }

    // The same path, one inside the other, or one holding the other.
    private static bool Overlaps(string path, string protectedPath) =>
        path == protectedPath
        || path.StartsWith(protectedPath + "/", StringComparison.Ordinal)
        || protectedPath.StartsWith(path + "/", StringComparison.Ordinal);
}

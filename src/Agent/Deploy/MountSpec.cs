namespace Fleet.Agent.Deploy;

internal enum MountKind
{
    /// <summary>A named volume of the app: created by the agent, shared by both slots, never deleted by a deploy or rollback.</summary>
    Volume,

    /// <summary>An absolute host path.</summary>
    Bind,

    /// <summary>An in-memory file system; <see cref="MountSpec.Source"/> is empty.</summary>
    Tmpfs,
}

/// <summary>
/// One mount of a service container. <see cref="Source"/> is the volume's name in the release
/// (the Docker volume is named after the app, see <see cref="SlotContainers.VolumeNameOf"/>) or the host path.
/// </summary>
internal sealed record MountSpec(MountKind Kind, string Source, string Target, bool ReadOnly = false, string? Options = null);

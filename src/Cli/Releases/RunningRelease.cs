using Fleet.Contracts.V1;

namespace Fleet.Cli.Releases;

/// <summary>The release that runs in the environment now (the newest whose rollout succeeded), as far as the operator's trust policy vouches for it.</summary>
internal sealed record RunningRelease(Release Release, ReleaseInspection Inspection);


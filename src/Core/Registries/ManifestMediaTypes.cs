namespace Fleet.Core.Registries;

/// <summary>The manifest media types Fleet asks registries for (an Accept header without them may get 404 for OCI manifests).</summary>
public static class ManifestMediaTypes
{
    public static IReadOnlyList<string> All { get; } =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];
}

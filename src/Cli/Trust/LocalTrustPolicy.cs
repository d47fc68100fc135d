using System.CommandLine;
using Fleet.Core.Trust;

namespace Fleet.Cli.Trust;

/// <summary>
/// The operator's own copy of the signed trust policy: <c>releases show</c> and <c>approve</c>
/// check signatures against it rather than take the controller's word. <c>--trust-policy FILE</c>,
/// by default <see cref="CliRuntime.TrustPolicyPath"/>, which <c>trust push</c> keeps up to date.
/// </summary>
internal static class LocalTrustPolicy
{
    public static Option<FileInfo?> Option() => new("--trust-policy")
    {
        Description = "Your own signed trust policy to check signatures against (default: trust.json beside the config file, kept by fleetctl trust push)",
        HelpName = "FILE",
    };

    public static string Path(CliRuntime runtime, FileInfo? file)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return file?.FullName ?? runtime.TrustPolicyPath;
    }

    /// <summary>The policy in <paramref name="path"/>, or null when there is no such file; a damaged or unsigned file is an error.</summary>
    public static SignedTrustPolicy? Load(string path)
    {
        try
        {
            return new TrustPolicyStore(path).Load();
        }
        catch (Exception ex) when (ex is DsseFormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"the trust policy {path} cannot be used: {ex.Message}", inner: ex);
        }
    }
}

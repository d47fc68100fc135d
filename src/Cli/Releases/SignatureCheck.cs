using Fleet.Core.Trust;

namespace Fleet.Cli.Releases;

/// <summary>One signature on a release and the key of the operator's trust policy that verified it, if any.</summary>
internal sealed record SignatureCheck(string KeyIdHint, TrustedKey? VerifiedBy, bool Counts);


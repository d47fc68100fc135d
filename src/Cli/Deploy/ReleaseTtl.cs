using System.Globalization;
using Fleet.Cli.Connection;
using Fleet.Contracts.V1;
using Fleet.Core.Trust;

namespace Fleet.Cli.Deploy;

/// <summary>
/// How long a new release stays valid: <c>--ttl</c>, or 24 h, never longer than the max validity the
/// controller's trust policy gives the environment (agents and the controller refuse longer ones).
/// The controller's copy only shortens what this operator signs; every verifier checks its own copy.
/// </summary>
internal static class ReleaseTtl
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    public static async Task<TimeSpan> ChooseAsync(IFleetApi api, string environment, TimeSpan? requested, CancellationToken cancellationToken)
    {
        var response = await api.GetTrustPolicyAsync(new GetTrustPolicyRequest(), cancellationToken);
        TrustPolicy policy;
        try
        {
            policy = TrustPolicy.ParsePayload(DsseEnvelope.Parse(response.Envelope.Span, TrustPolicy.PayloadType).Payload);
        }
        catch (DsseFormatException ex)
        {
            throw new CliException($"the controller's trust policy cannot be read: {ex.Message}", inner: ex);
        }

        var max = policy.MaxValidityFor(environment);
        if (requested is not { } ttl)
        {
            return Default < max ? Default : max;
        }

        return ttl <= max
            ? ttl
            : throw CliException.Usage(string.Create(CultureInfo.InvariantCulture,
                $"--ttl {Parsing.Duration.Format(ttl)} is longer than the {Parsing.Duration.Format(max)} that trust policy v{policy.Version} allows for '{environment}'"));
    }
}

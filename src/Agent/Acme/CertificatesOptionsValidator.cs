using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Fleet.Core.Naming;

namespace Fleet.Agent.Acme;

/// <summary>Validates the whole section at startup and reports every problem at once.</summary>
internal sealed partial class CertificatesOptionsValidator : IValidateOptions<CertificatesOptions>
{
    public ValidateOptionsResult Validate(string? name, CertificatesOptions options)
    {
        var errors = new List<string>();
        if (!options.DirectoryUrl.IsAbsoluteUri || options.DirectoryUrl.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add("Certificates:DirectoryUrl must be an https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            errors.Add("Certificates:StateDirectory is required.");
        }

        if (!IPEndPoint.TryParse(options.Http01Listen, out var listen) || listen.Port == 0)
        {
            errors.Add($"Certificates:Http01Listen '{options.Http01Listen}' is not an ip:port.");
        }

        if (options.CheckInterval < TimeSpan.FromMinutes(1) || options.CheckInterval > TimeSpan.FromDays(1))
        {
            errors.Add("Certificates:CheckInterval must be between 1 minute and 1 day.");
        }

        if (options.FirstCheckDelay < TimeSpan.Zero || options.FirstCheckDelay > TimeSpan.FromHours(1))
        {
            errors.Add("Certificates:FirstCheckDelay must be between 0 and 1 hour.");
        }

        if (options.CheckJitter < TimeSpan.Zero || options.CheckJitter > TimeSpan.FromHours(6))
        {
            errors.Add("Certificates:CheckJitter must be between 0 and 6 hours.");
        }

        if (options.FailureBackoff < TimeSpan.FromSeconds(1) || options.FailureBackoff > TimeSpan.FromDays(1) || options.MaxFailureBackoff < options.FailureBackoff)
        {
            errors.Add("Certificates:FailureBackoff must be between 1 s and 1 day, and MaxFailureBackoff at least as long.");
        }

        if (string.IsNullOrEmpty(options.ExternalAccountKeyId) != string.IsNullOrEmpty(options.ExternalAccountHmacKeyFile))
        {
            errors.Add("Certificates:ExternalAccountKeyId and ExternalAccountHmacKeyFile go together.");
        }

        foreach (var duplicate in options.Items.GroupBy(i => i.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"Certificates:Items: the name '{duplicate.Key}' is declared twice.");
        }

        foreach (var item in options.Items)
        {
            Validate(item, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void Validate(CertificateDeclaration item, List<string> errors)
    {
        var where = $"Certificates:Items '{item.Name}'";
        if (!NameRules.DottedName().IsMatch(item.Name))
        {
            errors.Add($"{where}: the name must match ^[a-z0-9][a-z0-9.-]{{0,62}}$.");
        }

        if (item.Domains.Count == 0)
        {
            errors.Add($"{where}: at least one domain is required.");
        }

        foreach (var domain in item.Domains.Where(d => !NameRules.DomainName().IsMatch(d)))
        {
            errors.Add($"{where}: '{domain}' is not a DNS name.");
        }

        switch (item.Challenge.Type)
        {
            case ChallengeDeclaration.Http01:
                if (item.Domains.Any(d => d.StartsWith("*.", StringComparison.Ordinal)))
                {
                    errors.Add($"{where}: wildcard domains need the dns-01 challenge.");
                }

                break;
            case ChallengeDeclaration.Dns01:
                var c = item.Challenge;
                if (!IPEndPoint.TryParse(c.Server ?? string.Empty, out var server) || server.Port == 0)
                {
                    errors.Add($"{where}: dns-01 needs Challenge:Server as ip:port.");
                }

                if (string.IsNullOrWhiteSpace(c.Zone) || string.IsNullOrWhiteSpace(c.TsigKeyName) || string.IsNullOrWhiteSpace(c.TsigSecretFile))
                {
                    errors.Add($"{where}: dns-01 needs Challenge:Zone, Challenge:TsigKeyName and Challenge:TsigSecretFile.");
                }

                break;
            default:
                errors.Add($"{where}: challenge type '{item.Challenge.Type}' is not http-01 or dns-01.");
                break;
        }

        if (item.Reload.Service is not null && !ServicePattern().IsMatch(item.Reload.Service))
        {
            errors.Add($"{where}: reload service '{item.Reload.Service}' is not APP/SERVICE.");
        }

        if (item.Reload.Service is not null && item.Reload.Container is not null)
        {
            errors.Add($"{where}: set at most one of Reload:Service and Reload:Container.");
        }

        if ((item.Reload.Container ?? item.Reload.Service) is not null && !Fleet.Core.Releases.CertificateSignals.IsKnown(item.Reload.Signal))
        {
            errors.Add($"{where}: reload signal '{item.Reload.Signal}' is not a known signal name.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex ServicePattern();
}

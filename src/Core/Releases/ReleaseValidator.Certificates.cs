using System.Net;
using Fleet.Core.Naming;

namespace Fleet.Core.Releases;

/// <summary>Rules for <c>certificates:</c>; the agent applies the same ones to its local configuration.</summary>
public static partial class ReleaseValidator
{
    private static void ValidateCertificates(List<ValidationError> errors, ReleaseDefinition release)
    {
        foreach (var certificate in release.Certificates ?? [])
        {
            ValidateCertificate(errors, certificate, release.Services);
        }

        CheckUnique(errors, "certificates", (release.Certificates ?? []).Select(c => c.Name));
    }

    private static void ValidateCertificate(List<ValidationError> errors, CertificateSpec certificate, IReadOnlyList<ServiceSpec> services)
    {
        var path = $"certificates.{certificate.Name}";
        Check(errors, path + ".name", NameRules.DottedName().IsMatch(certificate.Name), "certificate names are 1-63 of a-z 0-9 . -, starting with a letter or digit");
        Check(errors, path + ".domains", certificate.Domains.Count > 0, "at least one domain is required");
        for (var i = 0; i < certificate.Domains.Count; i++)
        {
            var domain = certificate.Domains[i];
            Check(errors, $"{path}.domains[{i}]", NameRules.DomainName().IsMatch(domain), $"'{domain}' is not a DNS name");
            Check(errors, $"{path}.domains[{i}]", !domain.StartsWith("*.", StringComparison.Ordinal) || certificate.Challenge.Type == CertificateChallengeType.Dns01,
                "wildcard domains need the dns-01 challenge");
        }

        CheckDefined(errors, path + ".key_type", certificate.KeyType);
        CheckDefined(errors, path + ".challenge.type", certificate.Challenge.Type);
        ValidateChallenge(errors, path + ".challenge", certificate.Challenge);
        ValidateReload(errors, path + ".reload", certificate.Reload, services);
    }

    private static void ValidateChallenge(List<ValidationError> errors, string path, CertificateChallengeSpec challenge)
    {
        if (challenge.Type == CertificateChallengeType.Http01)
        {
            foreach (var (field, value) in new[] { ("server", challenge.Server), ("zone", challenge.Zone), ("tsig_key_name", challenge.TsigKeyName), ("tsig_secret_file", challenge.TsigSecretFile) })
            {
                Check(errors, $"{path}.{field}", value is null, "only the dns-01 challenge takes this field");
            }

            return;
        }

        Check(errors, path + ".server", IPEndPoint.TryParse(challenge.Server ?? "", out var server) && server.Port != 0,
            "dns-01 needs the zone's primary server as ip:port, e.g. 192.0.2.53:53");
        Check(errors, path + ".zone", challenge.Zone is { } zone && NameRules.DomainName().IsMatch(zone.TrimEnd('.')) && !zone.StartsWith('*'), "dns-01 needs the zone, e.g. example.com");
        Check(errors, path + ".tsig_key_name", challenge.TsigKeyName is { } key && NameRules.DomainName().IsMatch(key.TrimEnd('.')), "dns-01 needs the TSIG key name (hmac-sha256)");
        Check(errors, path + ".tsig_secret_file", challenge.TsigSecretFile is { } file && file.StartsWith('/') && !file.Split('/').Contains(".."),
            "dns-01 needs the absolute path of the file holding the TSIG secret on each host");
    }

    private static void ValidateReload(List<ValidationError> errors, string path, CertificateReloadSpec reload, IReadOnlyList<ServiceSpec> services)
    {
        Check(errors, path, reload.Service is null || reload.Container is null, "set at most one of 'service' and 'container'");
        Check(errors, path + ".service", reload.Service is null || services.Any(s => s.Name == reload.Service), $"no service named '{reload.Service}'");
        Check(errors, path + ".container", reload.Container is null || NameRules.ContainerName().IsMatch(reload.Container), $"'{reload.Container}' is not a container name or id");
        Check(errors, path + ".signal", CertificateSignals.IsKnown(reload.Signal), $"must be one of {string.Join(", ", CertificateSignals.Names)}, got '{reload.Signal}'");
        Check(errors, path + ".command", reload.Command.All(a => a.Length > 0), "command arguments must not be empty");
        CheckRange(errors, path + ".command_timeout", reload.CommandTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }
}

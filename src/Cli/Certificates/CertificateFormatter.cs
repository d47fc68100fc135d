using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Certificates;

/// <summary>Maps reported certificates to tables, json and problem lines.</summary>
internal static class CertificateFormatter
{
    /// <summary>A certificate with fewer days left than this is flagged (renewal normally happens at 30 of 90).</summary>
    public const int ExpiringSoonDays = 14;

    /// <summary>Whole days until expiry (negative once expired); null before a certificate is installed.</summary>
    public static int? DaysLeft(CertificateReport report, DateTimeOffset now) =>
        report.NotAfter is null ? null : (int)Math.Floor((report.NotAfter.ToDateTimeOffset() - now).TotalDays);

    public static bool ExpiringSoon(CertificateReport report, DateTimeOffset now) => DaysLeft(report, now) < ExpiringSoonDays;

    public static bool RenewalFailed(CertificateReport report) => report.LastRenewalAt is not null && !report.LastRenewalSucceeded;

    /// <summary>"certificate web-1/shop: expires in 5 days (…); last renewal failed: …".</summary>
    public static string Problem(AgentCertificate certificate, DateTimeOffset now)
    {
        var report = certificate.Certificate;
        var parts = new List<string>();
        if (DaysLeft(report, now) is { } days && days < ExpiringSoonDays)
        {
            parts.Add(days < 0 ? $"expired {-days} days ago" : $"expires in {days} days ({Humanize.Iso(report.NotAfter)})");
        }

        if (RenewalFailed(report))
        {
            parts.Add($"last renewal failed: {report.LastRenewalError}");
        }

        return $"certificate {certificate.Agent}/{report.Name}: {(parts.Count == 0 ? "needs attention" : string.Join("; ", parts))}";
    }

    public static CertificateListJson ToJson(IEnumerable<AgentCertificate> certificates, DateTimeOffset now) =>
        new([.. certificates.Select(c => ToJson(c, now))]);

    public static CertificateJson ToJson(AgentCertificate certificate, DateTimeOffset now)
    {
        var r = certificate.Certificate;
        return new CertificateJson(
            certificate.Agent,
            r.Name,
            [.. r.Domains],
            r.Issuer.Length == 0 ? null : r.Issuer,
            r.Serial.Length == 0 ? null : r.Serial,
            Humanize.Iso(r.NotAfter),
            DaysLeft(r, now),
            ExpiringSoon(r, now),
            Humanize.Iso(r.LastRenewalAt),
            r.LastRenewalAt is null ? null : r.LastRenewalSucceeded,
            r.LastRenewalError.Length == 0 ? null : r.LastRenewalError,
            Humanize.Iso(r.NextAttemptAt),
            Humanize.Iso(certificate.ReportedAt));
    }

    /// <summary>One row per certificate; days left under <see cref="ExpiringSoonDays"/> and failed renewals in red with "!".</summary>
    public static Table Table(IEnumerable<AgentCertificate> certificates, DateTimeOffset now)
    {
        var table = Renderer.Table("AGENT", "NAME", "DOMAINS", "ISSUER", "NOT AFTER", "DAYS LEFT", "LAST RENEWAL");
        foreach (var certificate in certificates)
        {
            var r = certificate.Certificate;
            var days = DaysLeft(r, now);
            table.AddRow(
                new Text(certificate.Agent),
                new Text(r.Name),
                new Text(string.Join(", ", r.Domains)),
                new Text(r.Issuer.Length == 0 ? "-" : r.Issuer),
                new Text(Humanize.Iso(r.NotAfter) ?? "not issued"),
                days is null ? new Text("-") : Flag($"{days}", ExpiringSoon(r, now)),
                LastRenewal(r, now));
        }

        return table;
    }

    private static Text LastRenewal(CertificateReport r, DateTimeOffset now) =>
        r.LastRenewalAt is null ? new Text("-")
        : RenewalFailed(r) ? Flag($"failed {Humanize.Relative(r.LastRenewalAt, now)}: {r.LastRenewalError}", true)
        : new Text($"ok {Humanize.Relative(r.LastRenewalAt, now)}");

    private static Text Flag(string text, bool problem) =>
        problem ? new Text(text + " !", new Style(Color.Red)) : new Text(text);
}

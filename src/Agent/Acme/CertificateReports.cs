using System.Collections.Concurrent;
using Fleet.Agent.Events;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Agent.Acme;

/// <summary>
/// Tells the controller about every change of a certificate's state: a CERTIFICATE event in the
/// agent's outbox (delivered at least once, after reconnects too). An unchanged state is not sent
/// again; after a restart the first pass reports every certificate once.
/// </summary>
internal sealed class CertificateReports(EventOutbox outbox, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CertificateReport> _sent = new(StringComparer.Ordinal);

    public async Task PublishAsync(CertificateStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var report = ToReport(status);
        if (_sent.TryGetValue(status.Name, out var last) && last.Equals(report))
        {
            return;
        }

        await AppendAsync(report, cancellationToken);
        _sent[status.Name] = report;
    }

    public async Task PublishRemovedAsync(string name, CancellationToken cancellationToken)
    {
        await AppendAsync(new CertificateReport { Name = name, Removed = true }, cancellationToken);
        _sent.TryRemove(name, out _);
    }

    public static CertificateReport ToReport(CertificateStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var report = new CertificateReport
        {
            Name = status.Name,
            Issuer = status.Issuer ?? "",
            NotBefore = Stamp(status.NotBefore),
            NotAfter = Stamp(status.NotAfter),
            LastRenewalAt = Stamp(status.LastRenewal?.At),
            LastRenewalSucceeded = status.LastRenewal?.Succeeded ?? false,
            LastRenewalError = status.LastRenewal?.Error ?? "",
            NextAttemptAt = Stamp(status.NextAttempt),
            Serial = status.Serial ?? "",
        };
        report.Domains.AddRange(status.Domains);
        return report;
    }

    private Task<AgentEvent> AppendAsync(CertificateReport report, CancellationToken cancellationToken) =>
        outbox.AppendAsync(
            new AgentEvent
            {
                At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
                Kind = AgentEventKind.Certificate,
                Step = report.Removed ? "removed" : "state",
                Detail = Describe(report),
                Certificate = report,
            },
            cancellationToken);

    private static string Describe(CertificateReport report) =>
        report.Removed ? $"certificate {report.Name} is no longer declared"
        : report.LastRenewalAt is not null && !report.LastRenewalSucceeded ? $"certificate {report.Name}: {report.LastRenewalError}"
        : report.NotAfter is null ? $"certificate {report.Name} is declared, not yet issued"
        : $"certificate {report.Name} valid until {report.NotAfter.ToDateTimeOffset():u}";

    private static Timestamp? Stamp(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;
}

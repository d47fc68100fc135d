using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Acme;

/// <summary>The result of the last renewal attempt of one certificate.</summary>
internal sealed record RenewalResult(DateTimeOffset At, bool Succeeded, string? Error);

/// <summary>What the controller is told about one certificate.</summary>
internal sealed record CertificateStatus(
    string Name,
    IReadOnlyList<string> Domains,
    string? Issuer,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter,
    string? FullChainPath,
    RenewalResult? LastRenewal,
    DateTimeOffset? NextAttempt);

/// <summary>Every declared certificate's state, kept current by <see cref="CertificateRenewal"/>; read it to report.</summary>
internal sealed class CertificateInventory
{
    private readonly ConcurrentDictionary<string, CertificateStatus> _items = new(StringComparer.Ordinal);

    /// <summary>All certificates, ordered by name.</summary>
    public IReadOnlyList<CertificateStatus> Snapshot() => [.. _items.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public CertificateStatus? Find(string name) => _items.TryGetValue(name, out var status) ? status : null;

    internal void Declare(CertificateDeclaration declaration, InstalledCertificate? installed)
    {
        var current = Find(declaration.Name);
        _items[declaration.Name] = Describe(declaration.Name, declaration.Domains, installed, current?.LastRenewal, current?.NextAttempt);
    }

    internal void Record(CertificateDeclaration declaration, InstalledCertificate? installed, RenewalResult result, DateTimeOffset? nextAttempt) =>
        _items[declaration.Name] = Describe(declaration.Name, declaration.Domains, installed, result, nextAttempt);

    internal void Retain(IEnumerable<string> names)
    {
        var keep = names.ToHashSet(StringComparer.Ordinal);
        foreach (var name in _items.Keys.Where(n => !keep.Contains(n)))
        {
            _items.TryRemove(name, out _);
        }
    }

    private static CertificateStatus Describe(string name, IReadOnlyList<string> domains, InstalledCertificate? installed, RenewalResult? last, DateTimeOffset? next) =>
        new(name, [.. domains],
            installed?.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: true),
            installed is null ? null : new DateTimeOffset(installed.Leaf.NotBefore.ToUniversalTime()),
            installed is null ? null : new DateTimeOffset(installed.Leaf.NotAfter.ToUniversalTime()),
            installed?.FullChainPath, last, next);
}

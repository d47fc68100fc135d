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
    DateTimeOffset? NextAttempt,
    string? Serial = null);

/// <summary>Every declared certificate's state, kept current by <see cref="CertificateRenewal"/>; read it to report.</summary>
internal sealed class CertificateInventory
{
    private readonly ConcurrentDictionary<string, CertificateStatus> _items = new(StringComparer.Ordinal);

    /// <summary>All certificates, ordered by name.</summary>
    public IReadOnlyList<CertificateStatus> Snapshot() => [.. _items.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public CertificateStatus? Find(string name) => _items.TryGetValue(name, out var status) ? status : null;

    internal CertificateStatus Declare(CertificateDeclaration declaration, InstalledCertificate? installed)
    {
        var current = Find(declaration.Name);
        return _items[declaration.Name] = Describe(declaration.Name, declaration.Domains, installed, current?.LastRenewal, current?.NextAttempt);
    }

    internal CertificateStatus Record(CertificateDeclaration declaration, InstalledCertificate? installed, RenewalResult result, DateTimeOffset? nextAttempt) =>
        _items[declaration.Name] = Describe(declaration.Name, declaration.Domains, installed, result, nextAttempt);

    /// <summary>Forgets every certificate not in <paramref name="names"/>; returns the names forgotten.</summary>
    internal IReadOnlyList<string> Retain(IEnumerable<string> names)
    {
        var keep = names.ToHashSet(StringComparer.Ordinal);
        var removed = _items.Keys.Where(n => !keep.Contains(n)).ToList();
        foreach (var name in removed)
        {
            _items.TryRemove(name, out _);
        }

        return removed;
    }

    private static CertificateStatus Describe(string name, IReadOnlyList<string> domains, InstalledCertificate? installed, RenewalResult? last, DateTimeOffset? next) =>
        new(name, [.. domains],
            installed?.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: true),
            installed is null ? null : new DateTimeOffset(installed.Leaf.NotBefore.ToUniversalTime()),
            installed is null ? null : new DateTimeOffset(installed.Leaf.NotAfter.ToUniversalTime()),
            installed?.FullChainPath, last, next, installed?.Leaf.SerialNumber);
}

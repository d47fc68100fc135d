using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Acme;

/// <summary>
/// Keeps every declared certificate valid: checks which are due (or forced), issues, installs,
/// reloads, and records the result in the <see cref="CertificateInventory"/>. The installed
/// certificate is only replaced after a complete, successful issuance.
/// </summary>
internal sealed partial class CertificateRenewal(
    IOptionsMonitor<CertificatesOptions> options,
    IEnumerable<ICertificateDeclarationSource> sources,
    AcmeClientFactory clients,
    ChallengeSolverFactory solvers,
    CertificateInstaller installer,
    CertificateReloader reloader,
    CertificateInventory inventory,
    CertificateReports reports,
    TimeProvider time,
    ILogger<CertificateRenewal> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// The declarations in force: agent-local configuration plus every other registered source
    /// (releases); of two with one name, the first registered source (local configuration) wins.
    /// </summary>
    public IReadOnlyList<CertificateDeclaration> Declarations() => [.. sources.SelectMany(s => s.Current).DistinctBy(d => d.Name, StringComparer.Ordinal)];

    public void Dispose() => _gate.Dispose();

    /// <summary>One scheduled pass: renews what is due and not backing off. Never throws for one certificate's failure.</summary>
    public async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        var declarations = Declarations();
        foreach (var removed in inventory.Retain(declarations.Select(d => d.Name)))
        {
            await reports.PublishRemovedAsync(removed, cancellationToken);
        }

        foreach (var declaration in declarations)
        {
            await RenewOneAsync(declaration, force: false, cancellationToken);
        }
    }

    /// <summary>Renews one certificate by name; <paramref name="force"/> ignores due dates and backoff (fleetctl certs renew).</summary>
    public async Task<RenewalResult> RenewAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var declaration = Declarations().FirstOrDefault(d => d.Name == name)
            ?? throw new KeyNotFoundException($"No certificate named '{name}' is declared on this agent.");
        return await RenewOneAsync(declaration, force, cancellationToken)
            ?? inventory.Find(name)?.LastRenewal
            ?? new RenewalResult(time.GetUtcNow(), true, null);
    }

    /// <summary>Null when nothing was attempted (not due, or backing off).</summary>
    private async Task<RenewalResult?> RenewOneAsync(CertificateDeclaration declaration, bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var installed = installer.Load(declaration.Name);
            await reports.PublishAsync(inventory.Declare(declaration, installed), cancellationToken);
            var now = time.GetUtcNow();
            if (!force && _failures.TryGetValue(declaration.Name, out var failures) && now < failures.NextAttempt)
            {
                return null;
            }

            var client = clients.Create();
            if (!force && installed is not null && !await IsDueAsync(client, installed, declaration, now, cancellationToken))
            {
                return null;
            }

            return await IssueAndInstallAsync(client, declaration, installed, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> IsDueAsync(AcmeClient client, InstalledCertificate installed, CertificateDeclaration declaration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!installed.Leaf.MatchesDomains(declaration.Domains))
        {
            return true; // the declaration changed: the installed certificate no longer fits
        }

        AcmeRenewalWindow? window = null;
        try
        {
            window = (await client.GetRenewalInfoAsync(installed.Leaf, cancellationToken))?.SuggestedWindow;
        }
        catch (Exception ex) when (ex is HttpRequestException or AcmeProtocolException or System.Text.Json.JsonException)
        {
            Log.RenewalInfoUnavailable(logger, declaration.Name, ex);
        }

        return RenewalPolicy.IsDue(now, installed.Leaf.NotBefore.ToUniversalTime(), installed.Leaf.NotAfter.ToUniversalTime(), window);
    }

    private async Task<RenewalResult> IssueAndInstallAsync(AcmeClient client, CertificateDeclaration declaration, InstalledCertificate? previous, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        try
        {
            Log.Renewing(logger, declaration.Name, string.Join(",", declaration.Domains));
            var request = new IssueRequest(declaration.Domains, declaration.KeyType, o.Contacts, clients.ExternalAccount(), o.PreferredChain,
                previous is null ? null : RenewalCertId.For(previous.Leaf));
            var issued = await AcmeIssuer.IssueAsync(client, request, solvers.Create(declaration.Challenge), cancellationToken);
            var installed = installer.Install(declaration.Name, issued);
            _failures.TryRemove(declaration.Name, out _);
            Log.Installed(logger, declaration.Name, installed.Leaf.NotAfter, installed.FullChainPath);

            var reloadError = await reloader.ReloadAsync(declaration.Reload, installed, cancellationToken);
            if (reloadError is not null)
            {
                Log.ReloadFailed(logger, declaration.Name, reloadError);
            }

            var result = new RenewalResult(time.GetUtcNow(), reloadError is null, reloadError is null ? null : "installed, but " + reloadError);
            await reports.PublishAsync(inventory.Record(declaration, installed, result, null), cancellationToken);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var count = _failures.TryGetValue(declaration.Name, out var f) ? f.Count + 1 : 1;
            var wait = RenewalPolicy.Backoff(count, o.FailureBackoff, o.MaxFailureBackoff, (ex as AcmeProblemException)?.RetryAfter);
            var now = time.GetUtcNow();
            _failures[declaration.Name] = new Failures(count, now + wait);
            Log.RenewalFailed(logger, declaration.Name, count, wait, ex);
            var result = new RenewalResult(now, false, ex.Message);
            await reports.PublishAsync(inventory.Record(declaration, previous, result, now + wait), cancellationToken);
            return result;
        }
    }

    private sealed record Failures(int Count, DateTimeOffset NextAttempt);
}

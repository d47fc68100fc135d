using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Agent.Acme.Dns01;

/// <summary>
/// DNS-01 (RFC 8555 §8.4): TXT _acme-challenge.&lt;domain&gt; = base64url(SHA-256(key authorization)),
/// added by a signed UPDATE, awaited on the zone's authoritative server, deleted afterwards.
/// </summary>
internal sealed partial class Dns01Solver(DnsUpdateClient updates, DnsTxtProbe probe, ILogger logger) : IChallengeSolver
{
    private static readonly TimeSpan RecordTtl = TimeSpan.FromSeconds(60);

    public string ChallengeType => "dns-01";

    public static string RecordName(string domain) => "_acme-challenge." + (domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain);

    public static string RecordValue(string keyAuthorization) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));

    public async Task<IAsyncDisposable> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var name = RecordName(domain);
        var value = RecordValue(keyAuthorization);
        await updates.AddTxtAsync(name, value, RecordTtl, cancellationToken);
        var removal = new Removal(updates, name, value, logger);
        try
        {
            await probe.WaitForAsync(name, value, cancellationToken);
        }
        catch
        {
            await removal.DisposeAsync();
            throw;
        }

        return removal;
    }

    private sealed class Removal(DnsUpdateClient updates, string name, string value, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await updates.DeleteTxtAsync(name, value, CancellationToken.None);
            }
            catch (DnsUpdateException ex)
            {
                // The certificate matters more than a stale TXT record; say so and move on.
                Log.CleanupFailed(logger, name, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(5020, LogLevel.Warning, "Could not remove the DNS-01 TXT record {Name}")]
        public static partial void CleanupFailed(ILogger logger, string name, Exception exception);
    }
}

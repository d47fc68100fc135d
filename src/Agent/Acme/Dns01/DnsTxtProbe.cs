using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Fleet.Agent.Acme.Dns01;

/// <summary>
/// Asks the zone's authoritative server itself (never the host's resolver, which may cache or be
/// unreachable) until a TXT value is served.
/// </summary>
internal sealed class DnsTxtProbe(IPEndPoint server, TimeProvider time)
{
    private readonly LookupClient _client = new(new LookupClientOptions(new NameServer(server))
    {
        UseCache = false,
        Recursion = false,
        Retries = 0,
        Timeout = TimeSpan.FromSeconds(2),
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        UseTcpFallback = true,
    });

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);

    public async Task<bool> HasTxtAsync(string name, string value, CancellationToken cancellationToken)
    {
        var response = await _client.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken);
        return response.Answers.OfType<TxtRecord>().Any(r => r.Text.Contains(value));
    }

    public async Task WaitForAsync(string name, string value, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Timeout;
        while (true)
        {
            try
            {
                if (await HasTxtAsync(name, value, cancellationToken))
                {
                    return;
                }
            }
            catch (DnsResponseException)
            {
                // A timeout or unreachable server counts as "not yet" until the deadline.
            }

            if (time.GetUtcNow() + Interval > deadline)
            {
                throw new DnsUpdateException($"The TXT record {name} did not appear on {server} within {Timeout:g}.");
            }

            await Task.Delay(Interval, time, cancellationToken);
        }
    }
}

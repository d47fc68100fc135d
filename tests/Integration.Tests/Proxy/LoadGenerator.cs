using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fleet.Integration.Tests.Proxy;

/// <summary>One answer the load generator got: when its request started and what came back.</summary>
internal sealed record LoadResponse(long StartedTicks, string Body);

/// <summary>
/// Several clients sending GET requests in a loop through the proxy until stopped. Every answer
/// is checked: anything but 200 with a body the test expects is a failure, and so is an exception.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Func<string, bool> _expected;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<LoadResponse> _responses = new();

    public LoadGenerator(Uri url, string host, int clients, Func<string, bool> expected)
    {
        _expected = expected;
        for (var i = 0; i < clients; i++)
        {
            _clients.Add(Task.Run(() => RunAsync(url, host)));
        }
    }

    public IReadOnlyCollection<string> Failures => _failures;

    public IReadOnlyCollection<LoadResponse> Responses => _responses;

    public static long Now => Stopwatch.GetTimestamp();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(Uri url, string host)
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Now;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Host = host;
                using var response = await _http.SendAsync(request, CancellationToken.None);
                var body = (await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim();
                if ((int)response.StatusCode != 200 || !_expected(body))
                {
                    _failures.Enqueue($"{(int)response.StatusCode} {body}");
                }
                else
                {
                    _responses.Enqueue(new LoadResponse(started, body));
                }
            }
            catch (HttpRequestException ex)
            {
                _failures.Enqueue(ex.Message);
            }
        }
    }
}

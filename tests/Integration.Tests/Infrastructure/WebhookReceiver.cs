using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Fleet.Integration.Tests.Infrastructure;

/// <summary>One POST the receiver got: the X-Fleet-* headers and the body.</summary>
internal sealed record ReceivedWebhook(string Event, string Delivery, string Signature, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port (HttpListener) that records every webhook it
/// is sent and answers <see cref="Status"/>: set it to 503 to make deliveries fail.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Task _loop;
    private int _status = 200;
    private int _refused;

    public WebhookReceiver()
    {
        var port = LoopbackPort.Free();
        Url = $"http://127.0.0.1:{port}/hooks/fleet";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>What it answers; 503 makes deliveries fail.</summary>
    public int Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

    /// <summary>Every webhook it accepted (answered 2xx), in order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Requests answered with a failure status so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var status = Status;
            if (status is >= 200 and < 300)
            {
                _received.Enqueue(new ReceivedWebhook(
                    context.Request.Headers["X-Fleet-Event"] ?? "", context.Request.Headers["X-Fleet-Delivery"] ?? "",
                    context.Request.Headers["X-Fleet-Signature-256"] ?? "", body.ToArray()));
            }
            else
            {
                Interlocked.Increment(ref _refused);
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

using System.Collections.Concurrent;
using System.Net;

namespace Fleet.Agent.Acme;

/// <summary>
/// A small Kestrel endpoint answering GET /.well-known/acme-challenge/{token} with the key
/// authorization (RFC 8555 §8.3) on a configurable address; the edge proxy forwards port 80 here.
/// </summary>
internal sealed partial class Http01Responder(IPEndPoint endpoint, ILogger<Http01Responder> logger) : IAsyncDisposable, IDisposable
{
    private const string Prefix = "/.well-known/acme-challenge/";
    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;

    public IPEndPoint Endpoint => endpoint;

    /// <summary>Starts listening unless already listening; a port in use fails here, before any order.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_app is null)
            {
                await ListenAsync(cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        app.Run(AnswerAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        Log.Listening(logger, endpoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_app is { } app)
            {
                _app = null;
                await app.StopAsync(cancellationToken);
                await app.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Add(string token, string keyAuthorization) => _answers[token] = keyAuthorization;

    public void Remove(string token) => _answers.TryRemove(token, out _);

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    // A host disposed synchronously must still release the port.
    public void Dispose() => StopAsync(CancellationToken.None).GetAwaiter().GetResult();

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !_answers.TryGetValue(path[Prefix.Length..], out var answer))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Log.Answered(logger, context.Request.Host.Value ?? "?");
        context.Response.ContentType = "application/octet-stream";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(5010, LogLevel.Information, "HTTP-01 responder listening on {Endpoint}")]
        public static partial void Listening(ILogger logger, IPEndPoint endpoint);

        [LoggerMessage(5011, LogLevel.Debug, "HTTP-01 challenge answered for {Host}")]
        public static partial void Answered(ILogger logger, string host);
    }
}

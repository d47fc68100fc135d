using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fleet.Integration.Tests.Proxy;

/// <summary>A small HTTP server on 127.0.0.1 that answers every path with its name (a slot for the proxy to reach).</summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Endpoint => _app.Urls.Select(u => new Uri(u)).Select(u => $"127.0.0.1:{u.Port}").First();

    public static async Task<TestUpstream> StartAsync(string name, TimeSpan? delay = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            if (delay is { } wait && context.Request.Path.StartsWithSegments("/slow", StringComparison.Ordinal))
            {
                await Task.Delay(wait, context.RequestAborted);
            }

            await context.Response.WriteAsync(name, context.RequestAborted);
        });
        await app.StartAsync();
        return new TestUpstream(app, name);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

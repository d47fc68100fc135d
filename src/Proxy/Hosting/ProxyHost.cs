using Fleet.Proxy.Admin;
using Fleet.Proxy.Listeners;
using Fleet.Proxy.Routing;
using Fleet.Proxy.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Proxy.Hosting;

/// <summary>Builds fleet-proxy: Kestrel listeners, the route table, the forwarder, the admin API and metrics.</summary>
internal static partial class ProxyHost
{
    public static WebApplication Build(string[] args, IReadOnlyList<InheritedSocket> inherited)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Host.UseSystemd();
        var options = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (new ProxyOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            throw new ArgumentException(invalid.FailureMessage);
        }

        builder.Services.AddOptionsWithValidateOnStart<ProxyOptions, ProxyOptionsValidator>().BindConfiguration(ProxyOptions.Section);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        var listeners = new ServiceListenerConfiguration();
        builder.Services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, options, inherited, listeners));
        builder.AddTelemetry();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<RouteTableStore>();
        builder.Services.AddSingleton<InFlightRequests>();
        builder.Services.AddSingleton<RouteForwarder>();

        var app = builder.Build();
        // Loads the table (and with it the services' listeners) before Kestrel binds.
        var store = app.Services.GetRequiredService<RouteTableStore>();
        var metricsPort = ProxyOptions.Endpoint(options.Metrics)?.Port;
        app.UseTelemetry(metricsPort);
        app.MapWhen(AdminApi.IsAdminConnection, admin => admin.MapAdmin());
        app.MapWhen(context => context.Connection.LocalPort == metricsPort, metrics => metrics.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
        var forwarder = app.Services.GetRequiredService<RouteForwarder>();
        app.Run(forwarder.ForwardAsync);
        RestrictAdminSocket(app, options, inherited);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProxyHost));
        app.Lifetime.ApplicationStarted.Register(() => Log.Started(
            logger, store.Current.Table.Routes.Count, inherited.Count, string.Join(", ", inherited.Select(s => s.Name))));
        return app;
    }

    private static void ConfigureListeners(
        KestrelServerOptions kestrel, ProxyOptions options, IReadOnlyList<InheritedSocket> inherited, ServiceListenerConfiguration listeners)
    {
        kestrel.AddServerHeader = false;
        foreach (var socket in inherited)
        {
            kestrel.ListenHandle((ulong)socket.FileDescriptor);
        }

        if (inherited.All(s => s.Name != InheritedSockets.Http) && ProxyOptions.Endpoint(options.Http) is { } http)
        {
            kestrel.Listen(http);
        }

        if (ProxyOptions.Endpoint(options.Metrics) is { } metrics)
        {
            kestrel.Listen(metrics);
        }

        if (inherited.All(s => s.Name != InheritedSockets.Admin))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.AdminSocket))!);
            File.Delete(options.AdminSocket);
            kestrel.ListenUnixSocket(options.AdminSocket);
        }

        kestrel.Configure(listeners.Root, reloadOnChange: true);
    }

    /// <summary>The admin socket is for the agent alone; under systemd the .socket unit sets its owner and mode.</summary>
    private static void RestrictAdminSocket(WebApplication app, ProxyOptions options, IReadOnlyList<InheritedSocket> inherited)
    {
        if (inherited.All(s => s.Name != InheritedSockets.Admin))
        {
            app.Lifetime.ApplicationStarted.Register(() => File.SetUnixFileMode(options.AdminSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "fleet-proxy serving {Routes} routes; {Inherited} sockets from systemd ({Names})")]
        public static partial void Started(ILogger logger, int routes, int inherited, string names);
    }
}

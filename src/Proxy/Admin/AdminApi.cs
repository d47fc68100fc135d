using System.Text.Json;
using Fleet.Core.Proxy;
using Fleet.Proxy.Routing;

namespace Fleet.Proxy.Admin;

/// <summary>
/// The admin API, served only on the Unix socket (0600) that the agent uses:
/// GET/PUT /v1/routes (the whole table), GET /v1/inflight and POST /v1/abort (?app=&amp;service=&amp;slot=).
/// A refused table answers 400 with every problem; the last good table stays.
/// </summary>
internal static class AdminApi
{
    /// <summary>Largest route table accepted, in bytes.</summary>
    private const int MaxTableBytes = 4 * 1024 * 1024;

    public static bool IsAdminConnection(HttpContext context) =>
        // Only a Unix socket connection has no local IP address.
        context.Connection.LocalIpAddress is null;

    public static void MapAdmin(this IApplicationBuilder admin) =>
        admin.Run(async context =>
        {
            var store = context.RequestServices.GetRequiredService<RouteTableStore>();
            var inFlight = context.RequestServices.GetRequiredService<InFlightRequests>();
            var (method, path) = (context.Request.Method, context.Request.Path.Value);
            switch (path)
            {
                case "/v1/routes" when HttpMethods.IsGet(method):
                    await WriteAsync(context, StatusCodes.Status200OK, store.Current.Table, ProxyJsonContext.Default.ProxyRouteTable);
                    break;
                case "/v1/routes" when HttpMethods.IsPut(method):
                    await PutRoutesAsync(context, store);
                    break;
                case "/v1/inflight" when HttpMethods.IsGet(method):
                case "/v1/abort" when HttpMethods.IsPost(method):
                    if (SlotOf(context) is not { } slot)
                    {
                        await RefuseAsync(context, ["app, service and slot are required query parameters"]);
                        break;
                    }

                    var count = path == "/v1/abort"
                        ? inFlight.Abort(slot.App, slot.Service, slot.Slot)
                        : inFlight.Count(slot.App, slot.Service, slot.Slot);
                    await WriteAsync(context, StatusCodes.Status200OK, new ProxyInFlight(slot.App, slot.Service, slot.Slot, count), ProxyJsonContext.Default.ProxyInFlight);
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    break;
            }
        });

    private static async Task PutRoutesAsync(HttpContext context, RouteTableStore store)
    {
        if (context.Request.ContentLength is > MaxTableBytes)
        {
            await RefuseAsync(context, [$"the route table is larger than {MaxTableBytes} bytes"]);
            return;
        }

        ProxyRouteTable? table;
        try
        {
            table = await JsonSerializer.DeserializeAsync(context.Request.Body, ProxyJsonContext.Default.ProxyRouteTable, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await RefuseAsync(context, [$"the route table is not valid JSON: {ex.Message}"]);
            return;
        }

        if (table is null)
        {
            await RefuseAsync(context, ["the route table is empty"]);
            return;
        }

        var errors = store.Replace(table);
        if (errors.Count > 0)
        {
            await RefuseAsync(context, errors);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, store.Current.Table, ProxyJsonContext.Default.ProxyRouteTable);
    }

    private static (string App, string Service, string Slot)? SlotOf(HttpContext context)
    {
        var query = context.Request.Query;
        return (query["app"].ToString(), query["service"].ToString(), query["slot"].ToString()) is var (app, service, slot)
            && app.Length > 0 && service.Length > 0 && slot.Length > 0
                ? (app, service, slot)
                : null;
    }

    private static Task RefuseAsync(HttpContext context, IReadOnlyList<string> errors) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, new ProxyAdminError(errors), ProxyJsonContext.Default.ProxyAdminError);

    private static async Task WriteAsync<T>(HttpContext context, int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }
}

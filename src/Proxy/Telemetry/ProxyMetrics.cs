using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fleet.Core.Proxy;

namespace Fleet.Proxy.Telemetry;

/// <summary>
/// Per-route metrics, each tagged app, service and slot (the slot tells old from new during a
/// switch, and a canary from the rest): requests by status class, 5xx answers, latency, in flight.
/// </summary>
internal sealed class ProxyMetrics
{
    public const string MeterName = "Fleet.Proxy";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _serverErrors;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _inFlight;

    public ProxyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("fleet.proxy.requests", "{request}", "Requests forwarded, by route, slot and status class");
        _serverErrors = meter.CreateCounter<long>("fleet.proxy.responses.5xx", "{response}", "Answers with a 5xx status (the slot's or the proxy's own 502/504)");
        _duration = meter.CreateHistogram<double>(
            "fleet.proxy.request.duration", "s", "Time from the request's arrival to the end of its answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _inFlight = meter.CreateUpDownCounter<long>("fleet.proxy.requests.in_flight", "{request}", "Requests being forwarded now");
    }

    public void Started(ProxyRoute route) => _inFlight.Add(1, Tags(route));

    public void Finished(ProxyRoute route, int statusCode, TimeSpan elapsed)
    {
        var tags = Tags(route);
        _inFlight.Add(-1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        tags.Add("status_class", statusCode switch
        {
            < 200 => "1xx",
            < 300 => "2xx",
            < 400 => "3xx",
            < 500 => "4xx",
            _ => "5xx",
        });
        _requests.Add(1, tags);
        if (statusCode >= 500)
        {
            _serverErrors.Add(1, Tags(route));
        }
    }

    private static TagList Tags(ProxyRoute route) => new()
    {
        { "app", route.App },
        { "service", route.Service },
        { "slot", route.Slot },
    };
}

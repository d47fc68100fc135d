using System.Net.Http.Headers;
using System.Net.Mime;
using Fleet.Controller.Notifications;
using Npgsql;

namespace Fleet.Controller.Webhooks;

/// <summary>What one POST to a webhook gave: delivered (2xx), or the receiver's status (0: unreachable) and why not.</summary>
internal sealed record DeliveryResult(bool Delivered, int HttpStatus, string Error);

/// <summary>
/// Delivers the queued webhook deliveries that are due, on every replica (a row being delivered
/// is locked; the others skip it). A delivery that fails is tried again with backoff
/// (<see cref="WebhookBackoff"/>); one that succeeded but whose commit was lost (the controller
/// stopped) is sent again: at least once. Bodies carry X-Fleet-Delivery for de-duplication.
/// </summary>
internal sealed partial class WebhookSender(NpgsqlDataSource dataSource, TimeProvider time, ILogger<WebhookSender> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private const int Batch = 20;

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    {
        Timeout = RequestTimeout,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await DeliverDueAsync(stoppingToken) < Batch)
            {
                await Task.Delay(Period, time, stoppingToken);
            }
        }
    }

    /// <summary>One batch of due deliveries; returns how many were attempted.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var due = await DueAsync(connection, transaction, cancellationToken);
            foreach (var (deliveryId, attempts, webhook, notification) in due)
            {
                var result = await SendAsync(webhook, notification, deliveryId, cancellationToken);
                await RecordAsync(connection, transaction, deliveryId, attempts + 1, result, cancellationToken);
                if (!result.Delivered)
                {
                    Log.DeliveryFailed(logger, webhook.Name, webhook.Origin, notification.Kind, attempts + 1, result.Error);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return due.Count;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Log.DeliverLoopFailed(logger, ex);
            return 0;
        }
    }

    /// <summary>POSTs one notification to one webhook (also used by fleetctl webhooks test).</summary>
    public async Task<DeliveryResult> SendAsync(WebhookRow webhook, Notification notification, long deliveryId, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Body(webhook.Format, notification);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypeNames.Application.Json);
        request.Headers.Add(WebhookPayload.EventHeader, notification.Kind);
        request.Headers.Add(WebhookPayload.DeliveryHeader, deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (webhook.Secret.Length > 0)
        {
            request.Headers.Add(WebhookPayload.SignatureHeader, WebhookPayload.Signature(webhook.Secret, body));
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode
                ? new DeliveryResult(true, (int)response.StatusCode, "")
                : new DeliveryResult(false, (int)response.StatusCode, $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and port at most, never the path (a Slack URL's secret).
            return new DeliveryResult(false, 0, ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(false, 0, $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Controller.Notifications;

namespace Fleet.Controller.Webhooks;

/// <summary>The body of one delivery, and its signature header for the json format.</summary>
internal static class WebhookPayload
{
    public const string SignatureHeader = "X-Fleet-Signature-256";
    public const string EventHeader = "X-Fleet-Event";
    public const string DeliveryHeader = "X-Fleet-Delivery";

    public static byte[] Body(string format, Notification notification) => format switch
    {
        "slack" => JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["text"] = $"[fleet] {notification.Summary}" }),
        _ => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["id"] = notification.Id,
            ["kind"] = notification.Kind,
            ["at"] = notification.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["app"] = notification.App,
            ["environment"] = notification.Environment,
            ["status"] = notification.Status,
            ["summary"] = notification.Summary,
            ["detail"] = JsonNode.Parse(notification.DetailJson),
        }),
    };

    /// <summary>sha256=HEX(HMAC-SHA256(secret, body)), as GitHub signs its webhooks.</summary>
    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}

using System.Text;
using System.Text.Json;
using Fleet.Controller.Notifications;
using Fleet.Controller.Webhooks;

namespace Fleet.Controller.Tests.Webhooks;

public sealed class WebhookPayloadTests
{
    private static readonly Notification Failed = new(
        42, new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), "rollout.failed", "shop", "production", "failed", 12.5,
        "shop/production #7 failed: web-2 failed: not healthy", """{"rolloutId":"r1","sequence":7}""");

    [Fact]
    public void Signature_KnownKeyAndBody_MatchesHmacSha256Hex()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var signature = WebhookPayload.Signature("Jefe", Encoding.UTF8.GetBytes("what do ya want for nothing?"));

        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
    }

    [Fact]
    public void Body_Slack_TextOnly()
    {
        var body = JsonDocument.Parse(WebhookPayload.Body("slack", Failed)).RootElement;

        Assert.Equal("[fleet] shop/production #7 failed: web-2 failed: not healthy", Assert.Single(body.EnumerateObject()).Value.GetString());
    }

    [Fact]
    public void Body_Json_WholeNotificationWithDetailAsObject()
    {
        var body = JsonDocument.Parse(WebhookPayload.Body("json", Failed)).RootElement;

        Assert.Equal((42L, "rollout.failed", "shop", "production", "failed"), (body.GetProperty("id").GetInt64(), body.GetProperty("kind").GetString(),
            body.GetProperty("app").GetString(), body.GetProperty("environment").GetString(), body.GetProperty("status").GetString()));
        Assert.Equal(7, body.GetProperty("detail").GetProperty("sequence").GetInt32());
    }

    [Theory]
    [InlineData(1, 4, 6)]
    [InlineData(2, 8, 12)]
    [InlineData(4, 32, 48)]
    [InlineData(15, 2880, 4320)]
    public void Backoff_AfterAttempt_DoublesFromFiveSecondsToAnHourWithJitter(int attempts, double minSeconds, double maxSeconds)
    {
        Assert.InRange(WebhookBackoff.After(attempts, 0).TotalSeconds, minSeconds, maxSeconds);
        Assert.InRange(WebhookBackoff.After(attempts, 1).TotalSeconds, minSeconds, maxSeconds);
    }
}

using Microsoft.AspNetCore.Http;
using Orbyt.Core.Webhooks;
using Orbyt.Uploader.Webhooks;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Orbyt.Tests.Webhooks;

public sealed class WebhookSigningTests
{
    // The Standard Webhooks specification's test vector.
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signing_reproduces_the_standard_webhooks_test_vector()
    {
        var signature = WebhookSigner.Sign(VectorId, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp), VectorBody, [VectorSecret]);

        Assert.Equal(VectorSignature, signature);
    }

    [Fact]
    public void The_headers_carry_the_id_the_unix_timestamp_and_the_signature()
    {
        var headers = WebhookSigner.Headers(VectorId, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp), VectorBody, [VectorSecret]);

        Assert.Equal(VectorId, headers.Id);
        Assert.Equal("1614265330", headers.Timestamp);
        Assert.Equal(VectorSignature, headers.Signature);
    }

    [Fact]
    public void During_a_rotation_both_secrets_sign_and_each_one_verifies_on_its_own()
    {
        var current = WebhookSecrets.Generate();
        var previous = WebhookSecrets.Generate();
        var now = DateTimeOffset.UtcNow;
        const string body = """{"type":"webhook.test","timestamp":"2026-01-01T00:00:00+00:00","data":{}}""";

        var headers = WebhookSigner.Headers("d-1", now, body, [current, previous]);

        Assert.Equal(2, headers.Signature.Split(' ').Distinct().Count());
        new StandardWebhook(current).Verify(body, ToHeaderDictionary(headers));
        new StandardWebhook(previous).Verify(body, ToHeaderDictionary(headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecrets.Generate()).Verify(body, ToHeaderDictionary(headers)));
    }

    [Fact]
    public void A_changed_body_does_not_verify()
    {
        var secret = WebhookSecrets.Generate();
        var headers = WebhookSigner.Headers("d-1", DateTimeOffset.UtcNow, """{"a":1}""", [secret]);

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify("""{"a":2}""", ToHeaderDictionary(headers)));
    }

    [Fact]
    public void Secrets_are_whsec_and_base64_of_32_random_bytes()
    {
        var secret = WebhookSecrets.Generate();

        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSecrets.Generate());
    }

    [Fact]
    public void The_body_is_type_timestamp_data_in_that_order_whatever_order_was_stored()
    {
        using var stored = System.Text.Json.JsonDocument.Parse("""{"data": {"b": 1}, "type": "job.failed", "timestamp": "2026-01-01T00:00:00+00:00"}""");

        var body = WebhookDeliveries.RenderBody(stored);

        Assert.Equal("""{"type":"job.failed","timestamp":"2026-01-01T00:00:00+00:00","data":{"b":1}}""", body);
    }

    private static HeaderDictionary ToHeaderDictionary(WebhookSignatureHeaders headers) => new()
    {
        [WebhookSignatureHeaders.IdHeader] = headers.Id,
        [WebhookSignatureHeaders.TimestampHeader] = headers.Timestamp,
        [WebhookSignatureHeaders.SignatureHeader] = headers.Signature,
    };
}

using StandardWebhooks;

namespace Orbyt.Uploader.Webhooks;

/// <summary>
/// Signs with the Standard Webhooks scheme through the <c>StandardWebhooks</c> package:
/// <c>v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))</c>. With several secrets (rotation overlap) the
/// header carries one signature per secret, space-separated, as the specification allows; receivers accept the
/// message when any of them matches.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(string webhookId, DateTimeOffset timestamp, string body, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0)
            throw new ArgumentException("At least one secret is needed to sign.", nameof(secrets));
        var signatures = secrets.Select(secret => new StandardWebhook(secret).Sign(webhookId, timestamp, body)).ToList();
        // The StandardWebhooks .NET library (1.1.2) never compares the last entry of a multi-signature header. Repeating
        // the first signature at the end keeps every real signature checkable by it; other verifiers ignore the duplicate.
        if (signatures.Count > 1)
            signatures.Add(signatures[0]);
        return string.Join(' ', signatures);
    }

    public static WebhookSignatureHeaders Headers(string webhookId, DateTimeOffset timestamp, string body, IReadOnlyList<string> secrets) =>
        new(webhookId, timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Sign(webhookId, timestamp, body, secrets));
}

namespace Orbyt.Uploader.Webhooks;

/// <summary>The three Standard Webhooks headers of one attempt.</summary>
public sealed record WebhookSignatureHeaders(string Id, string Timestamp, string Signature)
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
}

namespace Orbyt.Uploader.Webhooks;

public static class WebhookOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
    public const string Gone = "gone";
    public const string Rejected = "rejected";
    public const string EndpointDisabled = "endpoint_disabled";
}

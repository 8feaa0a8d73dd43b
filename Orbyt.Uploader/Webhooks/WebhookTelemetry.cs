using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orbyt.Uploader.Webhooks;

/// <summary>One ActivitySource and Meter for webhook delivery (both named "Orbyt.Webhooks", exported by the service defaults).</summary>
public static class WebhookTelemetry
{
    public const string Name = "Orbyt.Webhooks";
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    /// <summary>Attempts by outcome: succeeded, retrying, failed, gone, endpoint_disabled.</summary>
    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>("orbyt.webhooks.attempts", description: "Webhook delivery attempts by outcome.");
    public static readonly Histogram<double> AttemptDuration = Meter.CreateHistogram<double>("orbyt.webhooks.attempt.duration", "s", "Duration of webhook delivery attempts.");
    public static readonly Counter<long> FannedOut = Meter.CreateCounter<long>("orbyt.webhooks.deliveries.created", description: "Deliveries created by fan-out.");
}

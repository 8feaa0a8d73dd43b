using Orbyt.Core.Webhooks;
using Orbyt.Uploader.Webhooks;

// In the project's root namespace so Extensions.cs needs one line, not a using.
namespace Orbyt.Uploader;

public static class WebhookDispatcherExtensions
{
    /// <summary>The webhook dispatcher: fan-out of outbox events and signed, retried delivery (docs/webhooks.md).</summary>
    public static WebApplicationBuilder AddWebhookDispatcher(this WebApplicationBuilder builder)
    {
        builder.AddWebhookCore();
        builder.Services.AddSingleton<WebhookHttpClient>();
        builder.Services.AddSingleton<WebhookFanOut>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}

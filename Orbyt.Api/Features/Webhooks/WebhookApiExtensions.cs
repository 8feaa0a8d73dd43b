using Orbyt.Core.Webhooks;

// In the project's root namespace so Extensions.cs needs one line, not a using.
namespace Orbyt.Api;

public static class WebhookApiExtensions
{
    /// <summary>What the webhook endpoints need besides FastEndpoints' discovery: options, the SSRF guard, the vault.</summary>
    public static WebApplicationBuilder AddWebhookManagement(this WebApplicationBuilder builder)
    {
        builder.AddWebhookCore();
        return builder;
    }
}

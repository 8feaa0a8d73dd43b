using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orbyt.Core.Security;
using Orbyt.Core.Vault;

namespace Orbyt.Core.Webhooks;

public static class WebhookHostingExtensions
{
    /// <summary>Hosts allowed over plain http (and to internal addresses) in Development when nothing is configured.</summary>
    public static readonly string[] DevelopmentAllowHttpHosts = ["localhost", "127.0.0.1"];

    /// <summary>What the API and the dispatcher share: options, the SSRF guard, the retry schedule and the token vault.</summary>
    public static IHostApplicationBuilder AddWebhookCore(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .PostConfigure(o => o.AllowHttpHosts ??= isDevelopment ? [.. DevelopmentAllowHttpHosts] : [])
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        builder.Services.AddSingleton(sp => new OutboundUrlGuard(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowHttpHosts));
        builder.Services.AddSingleton(sp => WebhookRetrySchedule.Parse(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RetryScheduleSeconds));
        if (!builder.Services.Any(s => s.ServiceType == typeof(ITokenVault)))
            builder.Services.AddTokenVault();
        return builder;
    }
}

using Orbyt.Core.Credentials;
using Orbyt.Core.Hosting;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Uploader;

public static class Extensions
{
    public static WebApplicationBuilder AddUploader(this WebApplicationBuilder builder)
    {
        // Basic defaults: platform upload clients get their own resilience pipelines, not the API's 10 s timeout.
        builder.AddBasicServiceDefaults();
        builder.AddOrbytWorkerCore();
        builder.Services.AddConnectionTokens();
        builder.AddPublishing();
        builder.AddWebhookDispatcher();
        return builder;
    }
}

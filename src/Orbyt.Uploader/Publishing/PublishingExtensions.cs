using Orbyt.Core.Media;

namespace Orbyt.Uploader.Publishing;

public static class PublishingExtensions
{
    /// <summary>The job stream consumer, the reconciler, the runner and the platform recipes.</summary>
    public static WebApplicationBuilder AddPublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploaderOptions>().BindConfiguration(UploaderOptions.Section)
            .Validate(o => o.MaxInFlight > 0 && o.PollInterval > TimeSpan.Zero, "Orbyt:Uploader needs MaxInFlight > 0 and a positive PollInterval.")
            .ValidateOnStart();
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section);
        builder.Services.AddSingleton<MediaUrlPolicy>();
        // Media is fetched only through the SSRF guard (it re-checks the address it connects to); no blind retries,
        // no overall timeout: a 1 GiB relay takes minutes, and the upload resumes from the committed offset anyway.
        builder.Services.AddHttpClient(YouTubeRecipe.MediaClient)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<MediaUrlPolicy>().CreateHandler())
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);

        builder.Services.AddScoped<JobRunner>();
        builder.Services.AddScoped<IPublishRecipe, FacebookRecipe>();
        builder.Services.AddScoped<IPublishRecipe, InstagramRecipe>();
        builder.Services.AddScoped<IPublishRecipe, YouTubeRecipe>();
        builder.Services.AddHostedService<JobConsumer>();
        builder.Services.AddHostedService<JobReconciler>();
        return builder;
    }
}

using Orbyt.Core.Media;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Platforms.Meta;
using Orbyt.Uploader.Platforms.YouTube;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

public static class PublishingExtensions
{
    /// <summary>The job stream consumer, the reconciler, the runner and the platform recipes.</summary>
    public static WebApplicationBuilder AddPublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploaderOptions>().BindConfiguration(UploaderOptions.Section)
            .Validate(o => o.MaxInFlight > 0 && o.PollInterval > TimeSpan.Zero, "Orbyt:Uploader needs MaxInFlight > 0 and a positive PollInterval.")
            .Validate(o => o.IdlePollInterval > TimeSpan.Zero, "Orbyt:Uploader needs a positive IdlePollInterval.")
            .ValidateOnStart();
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section);
        builder.Services.AddSingleton<MediaUrlPolicy>();
        // Media is fetched only through the SSRF guard (it re-checks the address it connects to); no blind retries,
        // no overall timeout: a 1 GiB relay takes minutes, and the upload resumes from the committed offset anyway.
        builder.Services.AddHttpClient(YouTubeRecipe.MediaClient)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<MediaUrlPolicy>().CreateHandler())
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);

        // Platform budgets shared by every replica (Redis), and the platforms' clocks (docs/rate-limits.md).
        builder.Services.AddOptions<PlatformRateLimitOptions>().BindConfiguration(PlatformRateLimitOptions.Section);
        builder.Services.AddSingleton<PlatformClock>();
        builder.Services.AddSingleton<PlatformBudgets>();
        builder.Services.AddTransient<MetaRateLimitHandler>();
        builder.Services.AddTransient(sp => new PlatformDateHandler(sp.GetRequiredService<PlatformClock>(), PlatformClock.YouTube));
        // Meta fetches image_url/file_url while the request is open: give publishing calls a long attempt timeout.
        builder.Services.AddHttpClient<MetaPublishingClient>().ConfigurePlatformPipeline(TimeSpan.FromMinutes(5))
            .AddHttpMessageHandler<MetaRateLimitHandler>();
        builder.Services.AddHttpClient<YouTubeDataClient>().ConfigurePlatformPipeline()
            .AddHttpMessageHandler<PlatformDateHandler>();

        builder.Services.AddScoped<JobRunner>();
        builder.Services.AddScoped<IPublishRecipe, FacebookRecipe>();
        builder.Services.AddScoped<IPublishRecipe, InstagramRecipe>();
        builder.Services.AddScoped<IPublishRecipe, YouTubeRecipe>();
        builder.Services.AddHostedService<JobConsumer>();
        builder.Services.AddHostedService<JobReconciler>();
        return builder;
    }
}

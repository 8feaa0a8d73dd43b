using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Core.Platforms;

public static class PlatformExtensions
{
    /// <summary>
    /// Typed clients for the platforms' JSON APIs, each with exactly one resilience pipeline: short timeouts, and
    /// retries only for safe methods — a code exchange or a publish call is never repeated blindly.
    /// </summary>
    public static IServiceCollection AddPlatformClients(this IServiceCollection services)
    {
        services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.Section);
        services.AddOptions<GoogleOptions>().BindConfiguration(GoogleOptions.Section);

        services.TryAddTransient<MetaAppSecretProofHandler>();
        services.AddHttpClient<MetaGraphClient>().ConfigurePlatformPipeline().AddHttpMessageHandler<MetaAppSecretProofHandler>();
        // graph.instagram.com: appsecret_proof is not documented there (docs/decisions.md, issue 19), so no proof handler.
        services.AddHttpClient<InstagramLoginClient>().ConfigurePlatformPipeline();
        services.AddHttpClient<GoogleOAuthClient>().ConfigurePlatformPipeline();
        return services;
    }

    /// <summary>The one resilience pipeline of a platform JSON client (the Uploader's publishing clients use it too).</summary>
    public static IHttpClientBuilder ConfigurePlatformPipeline(this IHttpClientBuilder builder, TimeSpan? attemptTimeout = null)
    {
        // The API's service defaults give every client the standard pipeline; platform clients replace it rather
        // than stack a second one (RemoveAllResilienceHandlers is marked experimental, hence the suppression).
#pragma warning disable EXTEXP0001
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddStandardResilienceHandler(options =>
        {
            options.Retry.DisableForUnsafeHttpMethods();
            options.AttemptTimeout.Timeout = attemptTimeout ?? TimeSpan.FromSeconds(15);
            options.TotalRequestTimeout.Timeout = 3 * options.AttemptTimeout.Timeout;
            options.CircuitBreaker.SamplingDuration = 2 * options.AttemptTimeout.Timeout;
        });
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Orbyt.Core.Media;

public static class MediaExtensions
{
    /// <summary>The named client that fetches customer media: SSRF-guarded, no redirects, no resilience pipeline.</summary>
    public const string HttpClientName = "media";

    /// <summary>The handler <c>AddServiceDiscovery</c> puts on every client (internal to Microsoft.Extensions.ServiceDiscovery).</summary>
    private const string ServiceDiscoveryHandler = "Microsoft.Extensions.ServiceDiscovery.Http.ResolvingHttpDelegatingHandler";

    /// <summary>
    /// The media URL policy, the guarded media client and the probe — registered alike in the API (create-time
    /// checks) and the Uploader (the check before any platform call, and the byte relays).
    /// </summary>
    public static IServiceCollection AddMediaAccess(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section);
        services.AddSingleton<MediaUrlPolicy>();
        // Media is fetched only through the SSRF guard (it re-checks the address it connects to); no blind retries,
        // no overall timeout: a 1 GiB relay takes minutes, and an upload resumes from the committed offset anyway.
        // Callers bound each probe themselves.
        var client = services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<MediaUrlPolicy>().CreateHandler())
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
#pragma warning disable EXTEXP0001 // the API's service defaults add a pipeline to every client; media gets none.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        // Nor service discovery: a customer's URL is never one of Orbyt's own services, and a host name that happened to
        // match one must not be resolved to it. Nor the factory's request loggers: the client's spans already say what
        // was fetched (with the query redacted), and every probe at create paid for two log scopes.
        client.RemoveAllLoggers().ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            for (var i = handlers.Count - 1; i >= 0; i--)
            {
                if (handlers[i].GetType().FullName == ServiceDiscoveryHandler)
                    handlers.RemoveAt(i);
            }
        });
        services.AddTransient(sp => new MediaProbe(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orbyt.Core.Media;

namespace Orbyt.Tests.Media;

/// <summary>
/// The media client's handler chain as the API builds it (its service defaults put resilience, service discovery and the
/// factory's loggers on every client): customer media is fetched through the SSRF-guarded handler alone. Another
/// client of the same container keeps the defaults, so the test sees the chain the defaults build.
/// </summary>
public sealed class MediaClientPipelineTests
{
    [Fact]
    public void The_media_client_has_no_service_discovery_resilience_or_logging_handlers_the_defaults_give_other_clients()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection();
        builder.AddServiceDefaults();
        builder.Services.AddMediaAccess();
        builder.Services.AddHttpClient("other");
        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        var media = Chain(factory.CreateHandler(MediaExtensions.HttpClientName));
        var other = Chain(factory.CreateHandler("other"));

        Assert.Contains(other, name => name.Contains("ResolvingHttpDelegatingHandler", StringComparison.Ordinal));
        Assert.Contains(other, name => name.Contains("Resilience", StringComparison.Ordinal));
        Assert.Contains(other, name => name.Contains("Logging", StringComparison.Ordinal));
        Assert.DoesNotContain(media, name => name.Contains("ResolvingHttpDelegatingHandler", StringComparison.Ordinal));
        Assert.DoesNotContain(media, name => name.Contains("Resilience", StringComparison.Ordinal));
        Assert.DoesNotContain(media, name => name.Contains("Logging", StringComparison.Ordinal));
        Assert.Equal(typeof(SocketsHttpHandler).FullName, media[^1]);
    }

    /// <summary>The full type names from the outermost handler to the primary one.</summary>
    private static List<string> Chain(HttpMessageHandler handler)
    {
        var names = new List<string>();
        for (HttpMessageHandler? h = handler; h is not null; h = (h as DelegatingHandler)?.InnerHandler)
            names.Add(h.GetType().FullName!);
        return names;
    }
}

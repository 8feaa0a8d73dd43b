using Microsoft.Extensions.Options;
using Orbyt.Core.Security;
using Orbyt.Core.Webhooks;

namespace Orbyt.Uploader.Webhooks;

/// <summary>
/// The one HttpClient that calls customer URLs: every connection goes through the SSRF guard's connect callback,
/// redirects are not followed, and no resilience pipeline is attached (retries are the delivery schedule's job).
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    public WebhookHttpClient(OutboundUrlGuard guard, IOptions<WebhookOptions> options)
    {
        var timeout = options.Value.RequestTimeout;
        Client = new HttpClient(guard.CreateHandler(timeout)) { Timeout = timeout };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("Orbyt-Webhooks/1.0");
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}

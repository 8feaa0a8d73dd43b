using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Orbyt.IntegrationTests.Webhooks;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel) that verifies every delivery with the StandardWebhooks library,
/// against each secret the test registered, and answers with scripted status codes (200 once the script is used up).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public int Port { get; private set; }
    public string Url(string path = "/hooks") => $"http://127.0.0.1:{Port}{path}";
    public IReadOnlyCollection<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>Secrets tried when verifying, by name (e.g. "old", "new").</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    /// <summary>Extra response headers (e.g. Retry-After) sent with scripted non-2xx answers.</summary>
    public ConcurrentDictionary<string, string> ErrorHeaders { get; } = new();

    public void Answer(params int[] statusCodes)
    {
        foreach (var code in statusCodes) _script.Enqueue(code);
    }

    /// <summary>Starts on <paramref name="port"/> (0 = any free port).</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Port = new Uri(app.Urls.First()).Port;
        return receiver;
    }

    /// <summary>A port nothing listens on right now (for a receiver that is down, started later on it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var verifiedWith = new List<string>();
        foreach (var (name, secret) in Secrets)
        {
            try
            {
                new StandardWebhook(secret).Verify(body, http.Request.Headers);
                verifiedWith.Add(name);
            }
            catch (WebhookVerificationException)
            {
                // Not signed with this secret.
            }
        }
        var status = verifiedWith.Count == 0 ? 401 : _script.TryDequeue(out var scripted) ? scripted : 200;
        if (status >= 300)
        {
            foreach (var (name, value) in ErrorHeaders)
                http.Response.Headers[name] = value;
        }
        _received.Enqueue(new ReceivedWebhook(http.Request.Path, http.Request.Headers["webhook-id"].ToString(),
            http.Request.Headers["webhook-timestamp"].ToString(), http.Request.Headers["webhook-signature"].ToString(), body, verifiedWith, status));
        http.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

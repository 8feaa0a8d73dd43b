using Microsoft.AspNetCore.Http.Json;
using Orbyt.Sandbox.Control;
using Orbyt.Sandbox.Google;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.Meta;
using Orbyt.Sandbox.Mux;
using Orbyt.Sandbox.State;
using Orbyt.Sandbox.YouTube;

namespace Orbyt.Sandbox;

/// <summary>Builds the sandbox web app; tests start it with <c>--urls http://127.0.0.1:0</c>.</summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.Configure<SandboxOptions>(builder.Configuration.GetSection(SandboxOptions.Section));
        builder.Services.AddSingleton(sp => new SandboxClock(TimeProvider.System));
        builder.Services.AddSingleton<SandboxState>();
        builder.Services.AddSingleton<MediaFetcher>();
        builder.Services.AddSingleton<Mux.MuxSigning>();
        builder.Services.Configure<JsonOptions>(o =>
        {
            // Control API requests are snake_case; platform responses are written with explicit options.
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.PropertyNameCaseInsensitive = true;
        });
        // Scripted latency keeps thousands of platform calls open at once (POST /_sandbox/latency): Kestrel's connection
        // limits are unlimited by default (kept so), and the accept backlog is raised from 512 for bursts of new connections.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.WebHost.UseSockets(o => o.Backlog = 4096);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = long.MaxValue);

        var app = builder.Build();
        app.UseMiddleware<LatencyMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.MapDefaultEndpoints();
        app.MapMetaOAuthEndpoints();
        app.MapGraphEndpoints();
        app.MapInstagramLoginEndpoints();
        app.MapRuploadEndpoints();
        app.MapGoogleOAuthEndpoints();
        app.MapYouTubeEndpoints();
        app.MapMuxStreamEndpoints();
        app.MapMuxImageEndpoints();
        app.MapControlEndpoints();
        return app;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orbyt.Uploader;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// A second Uploader replica, hosted in the test process with the same code (<c>AddUploader</c>) and the deployed
/// uploader's own environment (Redis, Postgres, vault key, sandbox platforms, rate limits), under its own consumer
/// name. It records the jobs it ran, so a test can see that both replicas took part.
/// </summary>
public sealed class UploaderReplica : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ActivityListener _listener;

    public ConcurrentDictionary<string, byte> JobsRun { get; } = new();

    /// <summary>How many times this replica's scheduler released each job (its "job release" spans).</summary>
    public ConcurrentDictionary<string, int> Releases { get; } = new();

    private UploaderReplica(WebApplication app, ActivityListener listener)
    {
        _app = app;
        _listener = listener;
    }

    public static async Task<UploaderReplica> StartAsync(AppHostFixture fixture, string consumerName, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var resource = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == "uploader");
#pragma warning disable CS0618 // The replacement (ExecutionConfigurationBuilder) is internal to DCP's pipeline; this resolves the same values.
        var environment = await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
        var settings = environment
            .Where(kv => kv.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || kv.Key.StartsWith("Orbyt__", StringComparison.Ordinal)
                || kv.Key.StartsWith("Platforms__", StringComparison.Ordinal) || kv.Key.StartsWith("services__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);
        settings["Orbyt:Uploader:ConsumerName"] = consumerName;
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
            settings[key] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, ApplicationName = "Orbyt.Uploader" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddUploader();
        var app = builder.Build();
        app.MapDefaultEndpoints();

        UploaderReplica? replica = null;
        var listener = new ActivityListener
        {
            // By name: JobRunner.Source is being created when the first listener check runs.
            ShouldListenTo = source => source.Name == "Orbyt.Uploader",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("orbyt.job.id") is not { } id) return;
                if (activity.OperationName == "job release") replica?.Releases.AddOrUpdate(id.ToString()!, 1, (_, n) => n + 1);
                else replica?.JobsRun.TryAdd(id.ToString()!, 0);
            },
        };
        replica = new UploaderReplica(app, listener);
        ActivitySource.AddActivityListener(listener);
        await app.StartAsync();
        return replica;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _listener.Dispose();
    }
}

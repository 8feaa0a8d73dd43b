using Orbyt.Core.Data;
using Orbyt.Core.Hosting;
using Microsoft.Extensions.Options;
using Orbyt.Core.Webhooks;

namespace Orbyt.Uploader.Webhooks;

/// <summary>
/// The dispatcher loop, one per Uploader replica: fan out new outbox events, then send due deliveries. It polls the
/// database (two index-only probes per second when idle) and goes round again at once while there is work.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookFanOut fanOut,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    LoopHeartbeat heartbeat,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string LoopName = "webhooks";
    private static readonly TimeSpan MaxSilence = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        LogStarted(logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
                var dispatched = await fanOut.RunOnceAsync(db, time.GetUtcNow(), stoppingToken);
                var attempted = await sender.RunOnceAsync(db, stoppingToken);
                busy = dispatched > 0 || attempted > 0;
                heartbeat.Beat(LoopName, MaxSilence);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // No beat: a dispatcher that keeps failing turns the health check unhealthy.
                LogRoundFailed(logger, ex);
            }
            if (!busy)
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook dispatcher started.")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatcher round failed.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Hosting;
using Orbyt.TokenRefresher.Scheduling;

namespace Orbyt.TokenRefresher;

/// <summary>
/// The refresher's main loop: scheduling passes back to back while they find full batches (a backlog), otherwise one
/// every poll interval. Each pass beats the heartbeat, so a stuck loop turns the process unhealthy.
/// </summary>
public sealed partial class RefreshWorker(RefreshScheduler scheduler, LoopHeartbeat heartbeat, IOptions<TokenRefreshOptions> options, TimeProvider time, ILogger<RefreshWorker> logger) : BackgroundService
{
    public const string LoopName = "token-refresher";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // A pass over a full batch can take a while; allow it several poll intervals and lease lengths before "stuck".
        var maxSilence = TimeSpan.FromSeconds(Math.Max(60, settings.LeaseSeconds * 2));
        heartbeat.Register(LoopName, maxSilence);
        LogStarted(logger, scheduler.Owner, settings.BatchSize, settings.Parallelism);
        while (!stoppingToken.IsCancellationRequested)
        {
            var fullBatch = false;
            try
            {
                var result = await scheduler.RunPassAsync(stoppingToken);
                fullBatch = result.Claimed >= settings.BatchSize;
                heartbeat.Beat(LoopName, maxSilence);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }
            if (!fullBatch)
                await Task.Delay(settings.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token refresher {Owner} started (batch {BatchSize}, parallelism {Parallelism}).")]
    private static partial void LogStarted(ILogger logger, string owner, int batchSize, int parallelism);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh pass failed.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

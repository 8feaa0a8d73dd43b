using Orbyt.Core.Hosting;
using StackExchange.Redis;

namespace Orbyt.Uploader;

/// <summary>
/// The Uploader's main loop. It keeps its Redis connection and heartbeat alive; consuming the job stream and running
/// the platform recipes is added by the publishing pipeline (issue 5).
/// </summary>
public sealed partial class UploaderLoop(IConnectionMultiplexer redis, LoopHeartbeat heartbeat, TimeProvider time, ILogger<UploaderLoop> logger) : BackgroundService
{
    public const string LoopName = "uploader";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        LogStarted(logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                heartbeat.Beat(LoopName, MaxSilence);
            }
            catch (RedisException ex)
            {
                // No beat: the health check turns unhealthy if Redis stays away.
                LogRedisUnavailable(logger, ex);
            }
            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploader loop started.")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable.")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}

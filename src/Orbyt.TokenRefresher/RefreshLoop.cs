using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;
using Orbyt.Core.Hosting;

namespace Orbyt.TokenRefresher;

/// <summary>
/// The refresher's main loop: each pass counts the credentials that are due (through the partial index on
/// next_check_at). Refreshing them is added by the token refresher issue (issue 7).
/// </summary>
public sealed partial class RefreshLoop(IServiceScopeFactory scopes, LoopHeartbeat heartbeat, TimeProvider time, ILogger<RefreshLoop> logger) : BackgroundService
{
    public const string LoopName = "token-refresher";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
                var now = time.GetUtcNow();
                var due = await db.Credentials.CountAsync(c => c.InvalidatedAt == null && c.NextCheckAt <= now, stoppingToken);
                if (due > 0) LogDue(logger, due);
                heartbeat.Beat(LoopName, MaxSilence);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, ex);
            }
            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Due} credentials are due for a check.")]
    private static partial void LogDue(ILogger logger, int due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh pass failed.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orbyt.Core.Hosting;
using Orbyt.Core.Jobs;
using StackExchange.Redis;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// The consumer-group protocol (docs/architecture.md): create the group idempotently; drain this consumer's own
/// pending entries first; read new ones (StackExchange.Redis has no blocking XREADGROUP, so poll briefly);
/// reclaim entries idle on dead consumers (XAUTOCLAIM); acknowledge only after the job's state is durable;
/// send entries that cannot be processed to the dead-letter stream with the reason. At most MaxInFlight jobs run
/// at once; waiting is scheduled in Postgres, never a sleeping slot.
/// </summary>
public sealed partial class JobConsumer(
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    LoopHeartbeat heartbeat,
    IOptions<UploaderOptions> options,
    ILogger<JobConsumer> logger) : BackgroundService
{
    public const string LoopName = "job-consumer";
    private const int MaxDeliveries = 10;
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(60);
    private readonly string _consumer = options.Value.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        var slots = new SemaphoreSlim(options.Value.MaxInFlight);
        var inFlight = new HashSet<string>();
        var readOwnPending = true;
        var lastClaim = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                await EnsureGroupAsync(db);
                heartbeat.Beat(LoopName, MaxSilence);

                // All slots busy: wait for one to free up (a fixed sleep here capped a replica at MaxInFlight jobs
                // per sleep, whatever the jobs' own speed).
                await slots.WaitAsync(stoppingToken);
                slots.Release();
                var free = slots.CurrentCount;
                StreamEntry[] entries;
                if (readOwnPending)
                {
                    entries = await db.StreamReadGroupAsync(JobQueue.Stream, JobQueue.Group, _consumer, "0-0", free);
                    readOwnPending = entries.Length == free;
                }
                else
                {
                    entries = await db.StreamReadGroupAsync(JobQueue.Stream, JobQueue.Group, _consumer, ">", free);
                }
                if (entries.Length == 0 && DateTimeOffset.UtcNow - lastClaim > TimeSpan.FromSeconds(5))
                {
                    lastClaim = DateTimeOffset.UtcNow;
                    var claimed = await db.StreamAutoClaimAsync(JobQueue.Stream, JobQueue.Group, _consumer, (long)options.Value.ClaimIdle.TotalMilliseconds, "0-0", free);
                    entries = claimed.ClaimedEntries;
                }
                if (entries.Length == 0)
                {
                    await Task.Delay(100, stoppingToken);
                    continue;
                }

                foreach (var entry in entries)
                {
                    lock (inFlight)
                    {
                        if (!inFlight.Add(entry.Id!)) continue;
                    }
                    await slots.WaitAsync(stoppingToken);
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await ProcessAsync(db, entry, stoppingToken);
                        }
                        finally
                        {
                            lock (inFlight) inFlight.Remove(entry.Id!);
                            slots.Release();
                        }
                    }, CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, ex.GetType().Name);
                readOwnPending = true;
                await Task.Delay(1000, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ProcessAsync(IDatabase db, StreamEntry entry, CancellationToken ct)
    {
        var jobIdValue = entry[JobQueue.JobIdField];
        if (!Guid.TryParse(jobIdValue.ToString(), out var jobId))
        {
            await DeadLetterAsync(db, entry, "entry without a valid job_id");
            return;
        }

        ActivityContext.TryParse(entry[JobQueue.TraceParentField].ToString(), entry[JobQueue.TraceStateField].ToString(), out var parent);
        using var activity = JobRunner.Source.StartActivity("orbyt:jobs process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", JobQueue.Stream);
        activity?.SetTag("messaging.message.id", entry.Id.ToString());
        activity?.SetTag("orbyt.job.id", jobId);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobRunner>().RunAsync(jobId, _consumer, ct);
            await db.StreamAcknowledgeAsync(JobQueue.Stream, JobQueue.Group, entry.Id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the entry stays pending and is reclaimed or re-read.
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error);
            LogProcessFailed(logger, jobId, ex);
            var pending = await db.StreamPendingMessagesAsync(JobQueue.Stream, JobQueue.Group, 1, RedisValue.Null, entry.Id, entry.Id);
            if (pending.Length > 0 && pending[0].DeliveryCount >= MaxDeliveries)
                await DeadLetterAsync(db, entry, $"failed {pending[0].DeliveryCount} times: {ex.GetType().Name}");
            // Otherwise not acknowledged: it is claimed again after ClaimIdle; the reconciler also re-adds due jobs.
        }
    }

    private async Task DeadLetterAsync(IDatabase db, StreamEntry entry, string reason)
    {
        var fields = entry.Values.Append(new NameValueEntry("dead_letter_reason", reason)).Append(new NameValueEntry("original_id", entry.Id)).ToArray();
        await db.StreamAddAsync(JobQueue.DeadLetterStream, fields);
        await db.StreamAcknowledgeAsync(JobQueue.Stream, JobQueue.Group, entry.Id);
        LogDeadLettered(logger, entry.Id.ToString(), reason);
    }

    private static async Task EnsureGroupAsync(IDatabase db)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(JobQueue.Stream, JobQueue.Group, "0-0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // Exists already.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({ErrorType}); the consumer retries.")]
    private static partial void LogRedisUnavailable(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing job {JobId} failed; the entry stays pending.")]
    private static partial void LogProcessFailed(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream entry {EntryId} moved to the dead-letter stream: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string entryId, string reason);
}

using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orbyt.Core.Hosting;
using Orbyt.Core.Jobs;
using StackExchange.Redis;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// The Redis-stream consumer-group protocol: create the group idempotently; drain this consumer's own pending
/// entries first; read new ones (StackExchange.Redis has no blocking XREADGROUP, so poll briefly); reclaim entries
/// idle on dead consumers (XAUTOCLAIM); acknowledge only after the job's state is durable; send entries that cannot
/// be processed to the dead-letter stream with the reason. Each entry runs as a step admitted by
/// <see cref="StepAdmission"/>: up to MaxLightSteps light steps at once, relays by the relay budget; waiting is
/// scheduled in Postgres, never a sleeping slot.
/// </summary>
public sealed partial class JobConsumer(
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    StepAdmission admission,
    LoopHeartbeat heartbeat,
    TimeProvider time,
    IOptions<UploaderOptions> options,
    ILogger<JobConsumer> logger) : BackgroundService
{
    public const string LoopName = "job-consumer";
    private const int MaxDeliveries = 10;
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(60);
    /// <summary>An idle consumer looks for entries stuck on dead consumers at most this often.</summary>
    private static readonly TimeSpan ReclaimInterval = TimeSpan.FromSeconds(5);
    /// <summary>How long the loop waits before trying again while Redis is unreachable.</summary>
    private static readonly TimeSpan RedisRetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _consumer = options.Value.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";
    private readonly HashSet<string> _inFlight = [];
    private bool _readOwnPending = true;
    /// <summary>The consumer group was created (or found) since the start or the last Redis failure.</summary>
    private bool _groupReady;
    private DateTimeOffset _lastReclaim = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!_groupReady)
                {
                    await EnsureGroupAsync(db);
                    _groupReady = true;
                }
                heartbeat.Beat(LoopName, MaxSilence);

                var free = await GatherSlotsAsync(stoppingToken);
                var entries = await ReadAsync(db, free);
                if (entries.Length == 0)
                    entries = await ReclaimAsync(db, free);
                if (entries.Length == 0)
                {
                    await Task.Delay(options.Value.IdlePollInterval, time, stoppingToken);
                    continue;
                }
                await DispatchAsync(db, entries, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, ex.GetType().Name);
                _readOwnPending = true;
                // A Redis restarted without its data has lost the group too (NOGROUP): create it again first.
                _groupReady = false;
                await Task.Delay(RedisRetryDelay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// At least one free light slot; while the replica is saturated, up to <see cref="UploaderOptions.ReadGather"/> more
    /// for <see cref="UploaderOptions.ReadBatch"/> of them, so a read takes a batch rather than the one entry a returning
    /// slot makes room for. How many are free: the consumer reads that many entries.
    /// </summary>
    private async Task<int> GatherSlotsAsync(CancellationToken ct)
    {
        var free = await admission.WaitForLightSlotsAsync(ct);
        var batch = Math.Min(options.Value.ReadBatch, options.Value.MaxLightSteps);
        if (free >= batch || options.Value.ReadGather <= TimeSpan.Zero) return free;
        await Task.Delay(options.Value.ReadGather, time, ct);
        return Math.Max(free, admission.LightFree);
    }

    /// <summary>This consumer's own pending entries until they run out (after a start or a Redis outage), then new ones.</summary>
    private async Task<StreamEntry[]> ReadAsync(IDatabase db, int count)
    {
        if (!_readOwnPending)
            return await db.StreamReadGroupAsync(JobQueue.Stream, JobQueue.Group, _consumer, ">", count);
        var entries = await db.StreamReadGroupAsync(JobQueue.Stream, JobQueue.Group, _consumer, "0-0", count);
        _readOwnPending = entries.Length == count;
        return entries;
    }

    /// <summary>Entries pending longer than ClaimIdle on another (silent) consumer, taken over (XAUTOCLAIM); at most every <see cref="ReclaimInterval"/>.</summary>
    private async Task<StreamEntry[]> ReclaimAsync(IDatabase db, int count)
    {
        var now = time.GetUtcNow();
        if (now - _lastReclaim <= ReclaimInterval)
            return [];
        _lastReclaim = now;
        var claimed = await db.StreamAutoClaimAsync(JobQueue.Stream, JobQueue.Group, _consumer, (long)options.Value.ClaimIdle.TotalMilliseconds, "0-0", count);
        return claimed.ClaimedEntries;
    }

    /// <summary>Starts each entry not already running in a slot of its own; returns once every entry has one.</summary>
    private async Task DispatchAsync(IDatabase db, StreamEntry[] entries, CancellationToken stoppingToken)
    {
        foreach (var entry in entries)
        {
            lock (_inFlight)
            {
                if (!_inFlight.Add(entry.Id!)) continue;
            }
            var slot = await admission.EnterAsync(stoppingToken);
            _ = Task.Run(async () =>
            {
                try
                {
                    await ProcessAsync(db, entry, slot, stoppingToken);
                }
                finally
                {
                    lock (_inFlight) _inFlight.Remove(entry.Id!);
                    slot.Dispose();
                }
            }, CancellationToken.None);
        }
    }

    private async Task ProcessAsync(IDatabase db, StreamEntry entry, StepSlot slot, CancellationToken ct)
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
        activity?.SetTag(JobQueue.JobIdTag, jobId.ToString());
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobRunner>().RunAsync(jobId, _consumer, slot, ct);
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

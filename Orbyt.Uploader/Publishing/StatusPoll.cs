using System.Globalization;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// The back-off for reading a platform's processing status (reference §17.3: Meta asks for about one container read a
/// minute; YouTube charges a quota unit per read): the first read after <see cref="UploaderOptions.StatusPollFirst"/>,
/// each next one after the time already waited — 5, 5, 10, 20, 40, 60, 60 … seconds with the defaults — never longer
/// than <see cref="UploaderOptions.StatusPollMax"/>. When waiting began is kept in the job's checkpoint, so the
/// schedule survives a restart and time comes from the job's clock (tests move it, nobody sleeps).
/// </summary>
public static class StatusPoll
{
    public const string Since = "status_poll_since";

    /// <summary>The delay before the next read, after <paramref name="waited"/> of waiting.</summary>
    public static TimeSpan Next(TimeSpan waited, TimeSpan first, TimeSpan max)
    {
        var next = waited > first ? waited : first;
        return next < max ? next : max;
    }

    /// <summary>Waits for the platform's processing: the next read on the back-off, waiting measured from the first wait of this phase.</summary>
    public static StepOutcome.Wait Wait(JobContext ctx, UploaderOptions options)
    {
        DateTimeOffset since;
        if (ctx.Get(Since) is { } saved)
        {
            since = DateTimeOffset.Parse(saved, CultureInfo.InvariantCulture);
        }
        else
        {
            since = ctx.Now;
            ctx.Checkpoint[Since] = since.ToString("O", CultureInfo.InvariantCulture);
            JobCheckpoint.Write(ctx.Job, ctx.Checkpoint);
        }
        return new StepOutcome.Wait(Next(ctx.Now - since, options.StatusPollFirst, options.StatusPollMax), JobStages.PlatformProcessing);
    }

    /// <summary>A new processing phase (a new container) starts its back-off from the beginning.</summary>
    public static void Restart(JobContext ctx) => ctx.Checkpoint.Remove(Since);
}

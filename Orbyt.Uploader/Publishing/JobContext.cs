using System.Text.Json;
using System.Text.Json.Nodes;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Uploader.Publishing;

/// <summary>Everything a recipe needs for one run, and the way it persists progress.</summary>
public sealed class JobContext(OrbytDbContext db, Job job, Publication publication, Connection connection, UsableToken token, TargetContent content, StepSlot slot, TimeProvider time, TimeSpan leaseDuration)
{
    public Job Job { get; } = job;
    public Publication Publication { get; } = publication;
    public Connection Connection { get; } = connection;
    public UsableToken Token { get; } = token;
    /// <summary>The step's admission: a recipe about to relay bytes asks it for a relay (see <see cref="StepAdmission"/>).</summary>
    public StepSlot Slot { get; } = slot;
    public JsonObject Checkpoint { get; } = JobCheckpoint.Read(job);
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>What this target publishes: format, media items (full URLs), text and options after its overrides.</summary>
    public TargetContent Content { get; } = content;

    /// <summary>The first media item's URL to fetch or hand over, with its query (a signed URL's token) — never logged.</summary>
    public string MediaUrl => Content.Items[0].Url;

    /// <summary>The first media item's type (image or video).</summary>
    public string MediaType => Content.Items[0].Type;

    /// <summary>This target's caption (its override, else the publication's).</summary>
    public string? Caption => Content.Caption;

    /// <summary>This target's title (its override, else the publication's).</summary>
    public string? Title => Content.Title;

    public string? Get(string key) => Checkpoint[key]?.GetValue<string>();

    /// <summary>One of this target's platform options (its override object, else the publication's).</summary>
    public JsonElement Option(string name) => Content.Raw(name);

    /// <summary>Persists the checkpoint (and stage) now: a platform reference must be durable before the next step.</summary>
    public async Task SaveAsync(CancellationToken ct, string? stage = null)
    {
        JobCheckpoint.Write(Job, Checkpoint);
        if (stage is not null) Job.Stage = stage;
        Job.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public async Task SetAsync(string key, string? value, CancellationToken ct, string? stage = null)
    {
        Set(key, value);
        await SaveAsync(ct, stage);
    }

    /// <summary>Changes the checkpoint in memory only: the next <see cref="SaveAsync"/> (or the step's outcome) writes it.</summary>
    public void Set(string key, string? value)
    {
        if (value is null) Checkpoint.Remove(key);
        else Checkpoint[key] = value;
    }

    /// <summary>
    /// Progress from an upload; written at most every two seconds, awaited on the upload's own flow (between two
    /// writes of its bytes). Each write also renews the lease, so a long upload keeps its job while a crashed
    /// replica's lease runs out quickly.
    /// </summary>
    public async ValueTask ReportProgressAsync(long transferred, long total, CancellationToken ct)
    {
        Job.BytesTransferred = transferred;
        Job.BytesTotal = total;
        var now = time.GetUtcNow();
        if (now - _lastProgressWrite < TimeSpan.FromSeconds(2) && transferred < total) return;
        _lastProgressWrite = now;
        Job.UpdatedAt = now;
        Job.LeaseUntil = now + leaseDuration;
        await db.SaveChangesAsync(ct);
    }

    private DateTimeOffset _lastProgressWrite = DateTimeOffset.MinValue;
}

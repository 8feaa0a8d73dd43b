using Microsoft.EntityFrameworkCore;

namespace Orbyt.Core.Data;

public sealed partial class OrbytDbContext
{
    /// <summary>Columns that only say who holds a job or when its doorbell rang: not a change a webhook receiver sees.</summary>
    private static readonly HashSet<string> BookkeepingColumns = [nameof(Job.LeaseUntil), nameof(Job.LeaseOwner), nameof(Job.EnqueuedAt)];

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpJobSequences();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpJobSequences();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// <see cref="Job.Sequence"/> goes up by one with every saved change of a job, whoever writes it. A writer that
    /// builds an event from the new state sets it itself first (so the event carries the saved number); the xmin
    /// concurrency token makes two writers from the same original fail rather than share a number.
    /// </summary>
    private void BumpJobSequences()
    {
        foreach (var entry in ChangeTracker.Entries<Job>())
        {
            if (entry.State != EntityState.Modified) continue;
            var sequence = entry.Property(j => j.Sequence);
            if (sequence.IsModified) continue;
            if (!entry.Properties.Any(p => p.IsModified && !BookkeepingColumns.Contains(p.Metadata.Name))) continue;
            entry.Entity.Sequence = sequence.OriginalValue + 1;
        }
    }
}

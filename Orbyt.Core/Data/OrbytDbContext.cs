using Microsoft.EntityFrameworkCore;

namespace Orbyt.Core.Data;

/// <summary>The one database of the system. Tables and columns are snake_case (UseSnakeCaseNamingConvention).</summary>
public sealed partial class OrbytDbContext(DbContextOptions<OrbytDbContext> options) : DbContext(options)
{
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Connection> Connections => Set<Connection>();
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<OAuthState> OAuthStates => Set<OAuthState>();
    public DbSet<Publication> Publications => Set<Publication>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<ApiClient>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasMany(x => x.Keys).WithOne(x => x.Client).HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ApiKey>(e =>
        {
            e.Property(x => x.KeyId).HasMaxLength(32);
            e.HasIndex(x => x.KeyId).IsUnique();
            e.Property(x => x.Name).HasMaxLength(200);
        });

        b.Entity<Connection>(e =>
        {
            e.Property(x => x.UserId).HasMaxLength(200);
            e.Property(x => x.Platform).HasMaxLength(20);
            e.Property(x => x.AccountId).HasMaxLength(100);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Login).HasMaxLength(20);
            // Connecting the same account again updates the row instead of duplicating it.
            e.HasIndex(x => new { x.ClientId, x.UserId, x.Platform, x.AccountId }).IsUnique();
            e.HasIndex(x => new { x.ClientId, x.UserId, x.Status });
            e.HasIndex(x => x.CredentialId);
            e.HasOne<ApiClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Credential).WithMany().HasForeignKey(x => x.CredentialId).OnDelete(DeleteBehavior.SetNull);
        });

        b.Entity<Credential>(e =>
        {
            e.Property(x => x.UserId).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.HasIndex(x => new { x.ClientId, x.UserId, x.Kind, x.Subject }).IsUnique();
            e.HasIndex(x => x.ParentCredentialId);
            // The refresher's scheduling pass reads only due rows through this partial index.
            e.HasIndex(x => x.NextCheckAt).HasFilter("invalidated_at IS NULL");
            e.HasOne<ApiClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<OAuthState>(e =>
        {
            e.HasIndex(x => x.StateHash).IsUnique();
            e.HasIndex(x => x.ExpiresAt);
            // The latest consent of a user on a platform (did it decline something?).
            e.HasIndex(x => new { x.ClientId, x.UserId, x.Platform, x.CreatedAt });
            e.Property(x => x.Platform).HasMaxLength(20);
            e.Property(x => x.UserId).HasMaxLength(200);
            e.Property(x => x.ReturnUrl).HasMaxLength(2048);
            e.Property(x => x.Login).HasMaxLength(20);
        });

        b.Entity<Publication>(e =>
        {
            e.Property(x => x.UserId).HasMaxLength(200);
            e.Property(x => x.MediaType).HasMaxLength(10);
            e.Property(x => x.MediaUrl).HasMaxLength(4096);
            e.Property(x => x.ClientReference).HasMaxLength(200);
            e.HasIndex(x => new { x.ClientId, x.UserId, x.CreatedAt });
            e.HasIndex(x => new { x.ClientId, x.ClientReference }).HasFilter("client_reference IS NOT NULL");
            e.HasMany(x => x.Jobs).WithOne(x => x.Publication).HasForeignKey(x => x.PublicationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ApiClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Job>(e =>
        {
            e.Property(x => x.UserId).HasMaxLength(200);
            e.Property(x => x.Platform).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Stage).HasMaxLength(30);
            e.Property(x => x.LeaseOwner).HasMaxLength(100);
            e.Property(x => x.TransferMethod).HasMaxLength(20);
            e.Property(x => x.ResultPrivacyStatus).HasMaxLength(20);
            e.Property(x => x.Version).IsRowVersion();
            e.HasIndex(x => new { x.ClientId, x.UserId, x.CreatedAt });
            // The reconciler's look for jobs enqueued long ago whose entry may be lost (a range scan on enqueued_at).
            e.HasIndex(x => new { x.EnqueuedAt, x.NextAttemptAt }).HasFilter("status IN ('queued', 'processing')");
            // The reconciler's due jobs never enqueued since they became due: the index holds exactly those rows (and the
            // ones waiting for a later time), so a pass reads what it re-adds, never the backlog waiting in the stream —
            // whatever the statistics say (its predicate is in the query text, so even a generic plan uses it, and the
            // planner sees its real size). docs/benchmarks.md, "The reconciler during a backlog".
            e.HasIndex(x => x.NextAttemptAt).HasFilter("status IN ('queued', 'processing') AND enqueued_at IS NULL");
            // The token refresher's pull-forward and Google check: one descent per connection finds an open YouTube job
            // due within the lookahead, so their cost follows the credentials, not the jobs queued for them. (The old
            // (status, next_attempt_at) index is gone: it let the planner answer both by reading the whole backlog.)
            e.HasIndex(x => new { x.ConnectionId, x.NextAttemptAt }).HasFilter("status IN ('queued', 'processing') AND platform = 'youtube'");
            e.HasIndex(x => x.ConnectionId);
            e.HasOne<Connection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        });

        ConfigureWebhooks(b);

        b.Entity<IdempotencyRecord>(e =>
        {
            e.HasKey(x => new { x.ClientId, x.Key });
            e.Property(x => x.Key).HasMaxLength(255);
            e.Property(x => x.Endpoint).HasMaxLength(100);
            e.HasIndex(x => x.ExpiresAt);
        });
    }
}

using Microsoft.EntityFrameworkCore;

namespace Orbyt.Core.Data;

public sealed partial class OrbytDbContext
{
    private static void ConfigureWebhooks(ModelBuilder b)
    {
        b.Entity<WebhookEndpoint>(e =>
        {
            e.Property(x => x.Url).HasMaxLength(2048);
            e.HasIndex(x => x.ClientId);
            e.HasOne<ApiClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<WebhookEvent>(e =>
        {
            e.Property(x => x.Type).HasMaxLength(50);
            e.HasIndex(x => x.CreatedAt).HasFilter("dispatched_at IS NULL");
            e.HasIndex(x => new { x.ClientId, x.CreatedAt });
        });

        b.Entity<WebhookDelivery>(e =>
        {
            e.Property(x => x.TargetUrl).HasMaxLength(2048);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Version).IsRowVersion();
            e.HasIndex(x => x.NextAttemptAt).HasFilter("status = 'pending'");
            e.HasIndex(x => new { x.EndpointId, x.CreatedAt });
            e.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

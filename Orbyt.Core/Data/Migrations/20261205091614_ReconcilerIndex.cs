using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReconcilerIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_jobs_enqueued_at_next_attempt_at",
                table: "jobs",
                columns: new[] { "enqueued_at", "next_attempt_at" },
                filter: "status IN ('queued', 'processing')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_enqueued_at_next_attempt_at",
                table: "jobs");
        }
    }
}

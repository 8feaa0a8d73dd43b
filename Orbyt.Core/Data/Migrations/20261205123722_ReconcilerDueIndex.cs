using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReconcilerDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_status_next_attempt_at",
                table: "jobs");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_connection_id_next_attempt_at",
                table: "jobs",
                columns: new[] { "connection_id", "next_attempt_at" },
                filter: "status IN ('queued', 'processing') AND platform = 'youtube'");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_next_attempt_at",
                table: "jobs",
                column: "next_attempt_at",
                filter: "status IN ('queued', 'processing') AND enqueued_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_connection_id_next_attempt_at",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_next_attempt_at",
                table: "jobs");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_status_next_attempt_at",
                table: "jobs",
                columns: new[] { "status", "next_attempt_at" },
                filter: "status IN ('queued', 'processing')");
        }
    }
}

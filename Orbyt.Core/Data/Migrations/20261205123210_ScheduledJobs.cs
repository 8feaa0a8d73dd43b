using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScheduledJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "preflight_at",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "publish_at",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "released_at",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "released_by",
                table: "jobs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_scheduled_preflight",
                table: "jobs",
                column: "preflight_at",
                filter: "status = 'scheduled' AND preflight_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_scheduled_release",
                table: "jobs",
                column: "next_attempt_at",
                filter: "status = 'scheduled'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_scheduled_preflight",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_scheduled_release",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "preflight_at",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "publish_at",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "released_at",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "released_by",
                table: "jobs");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class JobLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "enqueued_at",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                table: "jobs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_until",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "transfer_method",
                table: "jobs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "enqueued_at",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "lease_until",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "transfer_method",
                table: "jobs");
        }
    }
}

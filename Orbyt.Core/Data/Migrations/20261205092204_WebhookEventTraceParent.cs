using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookEventTraceParent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "webhook_events",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "webhook_events");
        }
    }
}

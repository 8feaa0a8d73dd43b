using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InstagramLogin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "login",
                table: "o_auth_states",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "login",
                table: "connections",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            // Every connection before Instagram Login came through Facebook Login, or Google for YouTube.
            migrationBuilder.Sql("UPDATE o_auth_states SET login = CASE WHEN platform = 'youtube' THEN 'google' ELSE 'facebook' END;");
            migrationBuilder.Sql("UPDATE connections SET login = CASE WHEN platform = 'youtube' THEN 'google' ELSE 'facebook' END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "login",
                table: "o_auth_states");

            migrationBuilder.DropColumn(
                name: "login",
                table: "connections");
        }
    }
}

using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbyt.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class MetaDeclinedPermissions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "declined_permissions",
                table: "o_auth_states",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_o_auth_states_client_id_user_id_platform_created_at",
                table: "o_auth_states",
                columns: new[] { "client_id", "user_id", "platform", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_o_auth_states_client_id_user_id_platform_created_at",
                table: "o_auth_states");

            migrationBuilder.DropColumn(
                name: "declined_permissions",
                table: "o_auth_states");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaskApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Ownership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_tasks_idempotency_key",
                table: "tasks");

            // Rows stored before stay null: nothing recorded who created them.
            migrationBuilder.AddColumn<string>(
                name: "created_by",
                table: "tasks",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "created_by",
                table: "subscriber_lists",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "created_by",
                table: "mailings",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "created_by",
                table: "email_templates",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "created_by",
                table: "clients",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "created_by",
                table: "campaigns",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // An app lists only its own tasks, newest first: this index holds that list in order, where the
            // (created_at, id) index would be read through every caller's tasks to find the app's.
            migrationBuilder.CreateIndex(
                name: "ix_tasks_created_by_created_at_id",
                table: "tasks",
                columns: new[] { "created_by", "created_at", "id" },
                descending: new[] { false, true, true });

            // Idempotency keys are each creator's own (two apps sending one key create two tasks). Old rows' null
            // creator never conflicts with a new row's, since unique indexes treat nulls as distinct.
            migrationBuilder.CreateIndex(
                name: "ux_tasks_created_by_idempotency_key",
                table: "tasks",
                columns: new[] { "created_by", "idempotency_key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_created_by_created_at_id",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ux_tasks_created_by_idempotency_key",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "subscriber_lists");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "mailings");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "email_templates");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "campaigns");

            migrationBuilder.CreateIndex(
                name: "ux_tasks_idempotency_key",
                table: "tasks",
                column: "idempotency_key",
                unique: true);
        }
    }
}

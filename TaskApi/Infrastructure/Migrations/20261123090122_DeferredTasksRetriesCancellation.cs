using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaskApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DeferredTasksRetriesCancellation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Tasks created before retries existed had exactly one attempt.
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "tasks",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "max_attempts",
                table: "tasks",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "scheduled_for",
                table: "tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tasks_waiting_scheduled_for",
                table: "tasks",
                column: "scheduled_for",
                filter: "status = 'new' AND scheduled_for IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_waiting_scheduled_for",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "max_attempts",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "scheduled_for",
                table: "tasks");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaskApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class NotificationDispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "message_value",
                table: "outbox_messages",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AddColumn<bool>(
                name: "express",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "dispatch",
                table: "notification_deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dispatched_at",
                table: "notification_deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent_express",
                table: "outbox_messages",
                column: "id",
                filter: "express AND sent_at IS NULL AND set_aside_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notification_deliveries_user_id_dispatched_at",
                table: "notification_deliveries",
                columns: new[] { "user_id", "dispatched_at" },
                filter: "dispatched_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unsent_express",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_notification_deliveries_user_id_dispatched_at",
                table: "notification_deliveries");

            migrationBuilder.DropColumn(
                name: "express",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "dispatch",
                table: "notification_deliveries");

            migrationBuilder.DropColumn(
                name: "dispatched_at",
                table: "notification_deliveries");

            migrationBuilder.AlterColumn<byte[]>(
                name: "message_value",
                table: "outbox_messages",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaskApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleQueries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_tasks_finished_at",
                table: "tasks",
                column: "finished_at",
                filter: "finished_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_name",
                table: "tasks",
                column: "name")
                .Annotation("Npgsql:IndexOperators", new[] { "varchar_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_status",
                table: "tasks",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_finished_at",
                table: "sms_messages",
                column: "finished_at",
                filter: "finished_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notification_deliveries_sent_at",
                table: "notification_deliveries",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notification_deliveries_status",
                table: "notification_deliveries",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_campaign_id_first_clicked_at",
                table: "email_messages",
                columns: new[] { "campaign_id", "first_clicked_at" },
                filter: "first_clicked_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_campaign_id_first_opened_at",
                table: "email_messages",
                columns: new[] { "campaign_id", "first_opened_at" },
                filter: "first_opened_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_campaign_id_sent_at",
                table: "email_messages",
                columns: new[] { "campaign_id", "sent_at" },
                filter: "sent_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_finished_at",
                table: "email_messages",
                column: "finished_at",
                filter: "finished_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_finished_at",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ix_tasks_name",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ix_tasks_status",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ix_sms_messages_finished_at",
                table: "sms_messages");

            migrationBuilder.DropIndex(
                name: "ix_notification_deliveries_sent_at",
                table: "notification_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_notification_deliveries_status",
                table: "notification_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_campaign_id_first_clicked_at",
                table: "email_messages");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_campaign_id_first_opened_at",
                table: "email_messages");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_campaign_id_sent_at",
                table: "email_messages");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_finished_at",
                table: "email_messages");
        }
    }
}

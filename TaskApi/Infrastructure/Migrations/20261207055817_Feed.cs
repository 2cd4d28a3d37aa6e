using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaskApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Feed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "notification_feed_seq");

            migrationBuilder.AddColumn<long>(
                name: "feed_seq",
                table: "notification_deliveries",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_notification_deliveries_feed",
                table: "notification_deliveries",
                columns: new[] { "user_id", "feed_seq" },
                filter: "feed_seq IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notification_deliveries_feed_unread",
                table: "notification_deliveries",
                columns: new[] { "user_id", "feed_seq" },
                filter: "feed_seq IS NOT NULL AND read_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notification_deliveries_feed",
                table: "notification_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_notification_deliveries_feed_unread",
                table: "notification_deliveries");

            migrationBuilder.DropColumn(
                name: "feed_seq",
                table: "notification_deliveries");

            migrationBuilder.DropSequence(
                name: "notification_feed_seq");
        }
    }
}

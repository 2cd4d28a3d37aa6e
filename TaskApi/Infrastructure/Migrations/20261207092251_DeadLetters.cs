using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TaskApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DeadLetters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<string>(
                name: "headers",
                table: "outbox_messages",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dead_letters",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    topic = table.Column<string>(type: "character varying(249)", maxLength: 249, nullable: false),
                    kafka_partition = table.Column<int>(type: "integer", nullable: false),
                    kafka_offset = table.Column<long>(type: "bigint", nullable: false),
                    dead_lettered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source_topic = table.Column<string>(type: "character varying(249)", maxLength: 249, nullable: true),
                    source_partition = table.Column<int>(type: "integer", nullable: true),
                    source_offset = table.Column<long>(type: "bigint", nullable: true),
                    message_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    message_value = table.Column<byte[]>(type: "bytea", nullable: true),
                    headers = table.Column<string>(type: "jsonb", nullable: false),
                    reason = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    truncated = table.Column<bool>(type: "boolean", nullable: false),
                    original_size = table.Column<long>(type: "bigint", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    state_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    state_changed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dead_letters", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_reason_trgm",
                table: "dead_letters",
                column: "reason")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_source_topic_id",
                table: "dead_letters",
                columns: new[] { "source_topic", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_state_id",
                table: "dead_letters",
                columns: new[] { "state", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_topic_id",
                table: "dead_letters",
                columns: new[] { "topic", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ux_dead_letters_position",
                table: "dead_letters",
                columns: new[] { "topic", "kafka_partition", "kafka_offset", "dead_lettered_at" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dead_letters");

            migrationBuilder.DropColumn(
                name: "headers",
                table: "outbox_messages");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}

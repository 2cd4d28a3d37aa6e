using Npgsql;
using NpgsqlTypes;

namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// Writes many outbox records at once with PostgreSQL's binary COPY, in the caller's transaction: a mailing's start
/// writes one per message, and COPY takes 100,000 in a fraction of the time single-row inserts would.
/// </summary>
public static class OutboxCopy
{
    public static async Task WriteAsync(NpgsqlConnection connection, IEnumerable<OutboxMessage> records, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY outbox_messages (topic, message_key, message_value, trace_parent, express, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // Synchronous writes into the importer's buffer (it sends a full buffer as it goes): awaiting every value of
        // 100,000 records cost more than the copy itself.
        foreach (var record in records)
        {
            importer.StartRow();
            importer.Write(record.Topic, NpgsqlDbType.Varchar);
            WriteNullable(importer, record.Key, NpgsqlDbType.Bytea);
            WriteNullable(importer, record.Value, NpgsqlDbType.Bytea);
            WriteNullable(importer, record.TraceParent, NpgsqlDbType.Varchar);
            importer.Write(record.Express, NpgsqlDbType.Boolean);
            importer.Write(record.CreatedAt, NpgsqlDbType.TimestampTz);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }
}

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
            "COPY outbox_messages (topic, message_key, message_value, trace_parent, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var record in records)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(record.Topic, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(importer, record.Key, NpgsqlDbType.Bytea, cancellationToken);
            await importer.WriteAsync(record.Value, NpgsqlDbType.Bytea, cancellationToken);
            await WriteNullableAsync(importer, record.TraceParent, NpgsqlDbType.Varchar, cancellationToken);
            await importer.WriteAsync(record.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : class =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}

using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.DeadLetters.Storing;

/// <summary>
/// Stores records of the <c>*.dlq</c> topics as <see cref="DeadLetter"/>s, a batch with one statement. A record read again
/// (its topic, partition, offset and timestamp already stored) is left out, so consuming twice stores once. Every record is
/// stored, whatever it holds: one without a readable <c>dlq-source</c> (produced to a .dlq by hand) with its source unknown,
/// and text PostgreSQL cannot keep (NUL) replaced, so no record fails the statement.
/// </summary>
public sealed class DeadLetterStore(IServiceScopeFactory scopes, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, dead_lettered_at, source_topic, source_partition, source_offset,
                                  message_key, message_value, headers, reason, truncated, original_size, received_at, state)
        SELECT * FROM unnest(@topic, @partition, @offset, @dead_lettered_at, @source_topic, @source_partition, @source_offset,
                             @key, @value, @headers, @reason, @truncated, @original_size, @received_at, @state)
        ON CONFLICT (topic, kafka_partition, kafka_offset, dead_lettered_at) DO NOTHING
        """;

    private static readonly string Waiting = StatusNames<DeadLetterState>.Of(DeadLetterState.Waiting);

    /// <summary>The headers the dead-letter writer adds; the others are the original record's.</summary>
    private static readonly HashSet<string> DeadLetterHeaderNames =
        [DeadLetterHeaders.Reason, DeadLetterHeaders.Source, DeadLetterHeaders.Truncated, DeadLetterHeaders.OriginalSize];

    /// <summary>Stores the records not stored yet; returns how many were new.</summary>
    public async Task<int> StoreAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> records, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var rows = records.Select(record => Read(record, now)).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        return await db.Database.ExecuteSqlRawAsync(InsertSql, [
            new NpgsqlParameter("topic", rows.Select(r => r.Topic).ToArray()),
            new NpgsqlParameter("partition", rows.Select(r => r.Partition).ToArray()),
            new NpgsqlParameter("offset", rows.Select(r => r.Offset).ToArray()),
            new NpgsqlParameter("dead_lettered_at", rows.Select(r => r.DeadLetteredAt).ToArray()),
            NpgsqlArrays.Of("source_topic", NpgsqlDbType.Varchar, rows.Select(r => r.SourceTopic)),
            NpgsqlArrays.Of("source_partition", NpgsqlDbType.Integer, rows.Select(r => r.SourcePartition)),
            NpgsqlArrays.Of("source_offset", NpgsqlDbType.Bigint, rows.Select(r => r.SourceOffset)),
            Bytes("key", rows.Select(r => r.Key)),
            Bytes("value", rows.Select(r => r.Value)),
            new NpgsqlParameter("headers", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => RecordHeaders.ToJson(r.Headers)).ToArray() },
            new NpgsqlParameter("reason", rows.Select(r => r.Reason).ToArray()),
            new NpgsqlParameter("truncated", rows.Select(r => r.Truncated).ToArray()),
            NpgsqlArrays.Of("original_size", NpgsqlDbType.Bigint, rows.Select(r => r.OriginalSize)),
            new NpgsqlParameter("received_at", rows.Select(r => r.ReceivedAt).ToArray()),
            new NpgsqlParameter("state", rows.Select(_ => Waiting).ToArray())], cancellationToken);
    }

    /// <summary>The dead letter a record of a .dlq topic is.</summary>
    internal static DeadLetter Read(ConsumeResult<byte[]?, byte[]> record, DateTimeOffset receivedAt)
    {
        var headers = record.Message.Headers;
        var source = Source(Text(headers, DeadLetterHeaders.Source));
        return new DeadLetter
        {
            Topic = record.Topic,
            Partition = record.Partition.Value,
            Offset = record.Offset.Value,
            DeadLetteredAt = record.Message.Timestamp.UtcDateTime,
            SourceTopic = source?.Topic,
            SourcePartition = source?.Partition,
            SourceOffset = source?.Offset,
            Key = record.Message.Key,
            Value = record.Message.Value,
            Headers = RecordHeaders.Of(headers)
                .Where(header => !DeadLetterHeaderNames.Contains(header.Name))
                // jsonb refuses NUL in a string; no Kafka client we know writes one in a header name.
                .Select(header => header with { Name = Storable(header.Name) })
                .ToList(),
            Reason = NpgsqlArrays.Truncated(Storable(Text(headers, DeadLetterHeaders.Reason) ?? "No dlq-reason header."), DeadLetterConfiguration.MaxReasonLength)!,
            Truncated = Text(headers, DeadLetterHeaders.Truncated) == "true",
            OriginalSize = long.TryParse(Text(headers, DeadLetterHeaders.OriginalSize), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null,
            ReceivedAt = receivedAt,
            State = DeadLetterState.Waiting,
        };
    }

    /// <summary>"topic/partition/offset" of one of Kafka's topic names, or null when it is not that.</summary>
    private static (string Topic, int Partition, long Offset)? Source(string? text) =>
        text?.Split('/') is [var topic, var partition, var offset]
        && KafkaTopics.IsValidName(topic)
        && int.TryParse(partition, NumberStyles.None, CultureInfo.InvariantCulture, out var partitionNumber)
        && long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var offsetNumber)
            ? (topic, partitionNumber, offsetNumber)
            : null;

    /// <summary>The last header of that name as UTF-8 text (invalid bytes replaced), or null.</summary>
    private static string? Text(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>PostgreSQL stores no NUL in text: it becomes U+FFFD, as invalid UTF-8 does.</summary>
    private static string Storable(string text) => text.Replace('\0', '\uFFFD');

    private static NpgsqlParameter Bytes(string name, IEnumerable<byte[]?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };
}

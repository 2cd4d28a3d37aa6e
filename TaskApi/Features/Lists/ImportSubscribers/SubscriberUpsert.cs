using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists.ImportSubscribers;

/// <summary>
/// Stores an import with one statement (<see cref="CountedUpsert"/>): a row whose address is new to the list creates a
/// subscribed subscriber; a row whose address the list has replaces that subscriber's name and fields and leaves its
/// status alone, so an unsubscribed address is never subscribed again by an import.
/// </summary>
public static class SubscriberUpsert
{
    private const string UpsertSql = """
        INSERT INTO subscribers (list_id, email, normalized_email, name, fields, status, created_at, updated_at)
        SELECT @list_id, email, normalized_email, name, fields, @subscribed, @now, @now
        FROM unnest(@emails, @normalized_emails, @names, @fields) AS input(email, normalized_email, name, fields)
        ON CONFLICT (list_id, normalized_email) DO UPDATE
            SET name = EXCLUDED.name, fields = EXCLUDED.fields, updated_at = EXCLUDED.updated_at
        """;

    /// <summary>
    /// Upserts <paramref name="rows"/> (valid, with distinct addresses) into list <paramref name="listId"/>; returns how
    /// many were created and how many updated, or null when the list does not exist (or was deleted meanwhile).
    /// </summary>
    public static async Task<ImportSubscribersResponse?> UpsertAsync(
        TasksDbContext db, long listId, IEnumerable<SubscriberRequest> rows, DateTimeOffset now, CancellationToken ct)
    {
        // In address order, so concurrent imports lock the rows they share in the same order and cannot deadlock.
        var subscribers = rows
            .Select(row => (Email: row.Email.Trim(), Normalized: EmailAddresses.Normalized(row.Email), row.Name, Fields: row.Fields?.GetRawText() ?? SubscriberConfiguration.NoFields))
            .OrderBy(row => row.Normalized, StringComparer.Ordinal)
            .ToList();
        try
        {
            var (created, updated) = await CountedUpsert.ExecuteAsync(db, UpsertSql,
            [
                new("list_id", listId),
                new("subscribed", StatusNames<SubscriberStatus>.Of(SubscriberStatus.Subscribed)),
                new("now", now),
                new("emails", subscribers.Select(s => s.Email).ToArray()),
                new("normalized_emails", subscribers.Select(s => s.Normalized).ToArray()),
                new("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = subscribers.Select(s => s.Name).ToArray() },
                new("fields", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = subscribers.Select(s => s.Fields).ToArray() },
            ], ct);
            return new ImportSubscribersResponse(created, updated);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return null;
        }
    }
}

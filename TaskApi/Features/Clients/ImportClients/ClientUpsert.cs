using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients.ImportClients;

/// <summary>
/// Stores an import with one statement: a row whose phone is new creates a client, a row whose phone a client has
/// replaces that client's operator code, tag and time zone. One statement is one transaction, so it is all or nothing,
/// and one round trip however many rows.
/// </summary>
public static class ClientUpsert
{
    private const string UpsertSql = """
        WITH upserted AS (
            INSERT INTO clients (phone, operator_code, tag, timezone, created_at, updated_at)
            SELECT phone, operator_code, tag, timezone, @now, @now
            FROM unnest(@phones, @operator_codes, @tags, @timezones) AS input(phone, operator_code, tag, timezone)
            ON CONFLICT (phone) DO UPDATE
                SET operator_code = EXCLUDED.operator_code, tag = EXCLUDED.tag, timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at
            -- xmax is 0 only in a row version an INSERT wrote; the version ON CONFLICT's update wrote carries the updating transaction.
            RETURNING xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created)::int, count(*) FILTER (WHERE NOT created)::int FROM upserted
        """;

    /// <summary>Upserts <paramref name="clients"/> (whose phones are distinct) by phone; returns how many were created and how many updated.</summary>
    public static async Task<ImportClientsResponse> UpsertAsync(TasksDbContext db, IReadOnlyList<Client> clients, DateTimeOffset now, CancellationToken ct)
    {
        // In phone order, so concurrent imports lock the rows they share in the same order and cannot deadlock.
        var rows = clients.OrderBy(c => c.Phone, StringComparer.Ordinal).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(UpsertSql, connection)
            {
                Parameters =
                {
                    new("phones", rows.Select(c => c.Phone).ToArray()),
                    new("operator_codes", rows.Select(c => c.OperatorCode).ToArray()),
                    new("tags", rows.Select(c => c.Tag).ToArray()),
                    new("timezones", rows.Select(c => c.TimeZone).ToArray()),
                    new("now", now),
                },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new ImportClientsResponse(reader.GetInt32(0), reader.GetInt32(1));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

using Npgsql;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients.ImportClients;

/// <summary>
/// Stores an import with one statement (<see cref="CountedUpsert"/>): a row whose phone is new creates a client, a row
/// whose phone a client has replaces that client's operator code, tag and time zone. The importer is the creator of the
/// clients it creates only: an updated client keeps its creator.
/// </summary>
public static class ClientUpsert
{
    private const string UpsertSql = """
        INSERT INTO clients (phone, operator_code, tag, timezone, created_at, created_by, updated_at)
        SELECT phone, operator_code, tag, timezone, @now, @importer, @now
        FROM unnest(@phones, @operator_codes, @tags, @timezones) AS input(phone, operator_code, tag, timezone)
        ON CONFLICT (phone) DO UPDATE
            SET operator_code = EXCLUDED.operator_code, tag = EXCLUDED.tag, timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at
        """;

    /// <summary>Upserts <paramref name="clients"/> (whose phones are distinct) by phone; returns how many were created and how many updated.</summary>
    public static async Task<ImportClientsResponse> UpsertAsync(
        TasksDbContext db, IReadOnlyList<Client> clients, string importer, DateTimeOffset now, CancellationToken ct)
    {
        // In phone order, so concurrent imports lock the rows they share in the same order and cannot deadlock.
        var rows = clients.OrderBy(c => c.Phone, StringComparer.Ordinal).ToList();
        var (created, updated) = await CountedUpsert.ExecuteAsync(db, UpsertSql,
        [
            new("phones", rows.Select(c => c.Phone).ToArray()),
            new("operator_codes", rows.Select(c => c.OperatorCode).ToArray()),
            new("tags", rows.Select(c => c.Tag).ToArray()),
            new("timezones", rows.Select(c => c.TimeZone).ToArray()),
            new("importer", importer),
            new("now", now),
        ], ct);
        return new ImportClientsResponse(created, updated);
    }
}

using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TaskApi.Infrastructure;

/// <summary>
/// An import stored with one statement: one statement is one transaction, so it is all or nothing, and one round trip
/// however many rows (they travel as array parameters).
/// </summary>
public static class CountedUpsert
{
    /// <summary>
    /// Runs <paramref name="upsertSql"/>, an <c>INSERT ... ON CONFLICT DO UPDATE</c> without a RETURNING clause, and
    /// returns how many rows it inserted and how many it updated.
    /// </summary>
    public static async Task<(int Created, int Updated)> ExecuteAsync(
        TasksDbContext db, string upsertSql, IEnumerable<NpgsqlParameter> parameters, CancellationToken ct)
    {
        var sql = $"""
            WITH upserted AS (
                {upsertSql}
                -- xmax is 0 only in a row version an INSERT wrote; the version ON CONFLICT's update wrote carries the updating transaction.
                RETURNING xmax = 0 AS created
            )
            SELECT count(*) FILTER (WHERE created)::int, count(*) FILTER (WHERE NOT created)::int FROM upserted
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt32(0), reader.GetInt32(1));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

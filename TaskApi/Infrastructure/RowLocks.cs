using Microsoft.EntityFrameworkCore;

namespace TaskApi.Infrastructure;

/// <summary>
/// Row locks between a campaign taking its template and lists and their deletion. Creating a campaign locks the rows
/// it refers to FOR SHARE in its transaction; deleting a template or list locks its row FOR UPDATE before it looks
/// for campaigns using it. Whichever comes second waits for the other's commit and then sees its outcome: the
/// deletion finds the new campaign (409), or the creation finds the row gone (400).
/// </summary>
public static class RowLocks
{
    /// <summary>The ids of those rows that exist, each locked FOR SHARE until the transaction ends.</summary>
    public static Task<List<long>> LockForShareAsync<TEntity>(this TasksDbContext db, long[] ids, CancellationToken ct) =>
        LockAsync<TEntity>(db, ids, "SHARE", ct);

    /// <summary>Whether the row exists; if so, it is locked FOR UPDATE until the transaction ends.</summary>
    public static async Task<bool> LockForUpdateAsync<TEntity>(this TasksDbContext db, long id, CancellationToken ct) =>
        (await LockAsync<TEntity>(db, [id], "UPDATE", ct)).Count == 1;

    private static Task<List<long>> LockAsync<TEntity>(TasksDbContext db, long[] ids, string strength, CancellationToken ct)
    {
        // The table's name from the model and the strength one of the two above: nothing of a request is in the SQL.
        var sql = $"SELECT id AS \"Value\" FROM {db.Model.FindEntityType(typeof(TEntity))!.GetTableName()} WHERE id = ANY({{0}}) FOR {strength}";
        return db.Database.SqlQueryRaw<long>(sql, ids).ToListAsync(ct);
    }
}

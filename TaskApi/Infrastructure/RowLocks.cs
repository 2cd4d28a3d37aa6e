using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>
    /// Deletes the row, in one transaction: locked FOR UPDATE first (<paramref name="notFound"/> when it does not exist),
    /// then <paramref name="isInUse"/> asked (<paramref name="inUse"/> when a campaign still needs it).
    /// </summary>
    public static Task<Results<NoContent, ProblemHttpResult>> DeleteUnlessInUseAsync<TEntity>(
        this TasksDbContext db, long id, Func<Task<bool>> isInUse, ProblemHttpResult notFound, ProblemHttpResult inUse, CancellationToken ct)
        where TEntity : class =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async Task<Results<NoContent, ProblemHttpResult>> () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if ((await LockAsync<TEntity>(db, [id], "UPDATE", ct)).Count == 0)
            {
                return notFound;
            }
            if (await isInUse())
            {
                return inUse;
            }
            await db.Set<TEntity>().Where(row => EF.Property<long>(row, "Id") == id).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.NoContent();
        });

    private static Task<List<long>> LockAsync<TEntity>(TasksDbContext db, long[] ids, string strength, CancellationToken ct)
    {
        // The table's name from the model and the strength one of the two above: nothing of a request is in the SQL.
        var sql = $"SELECT id AS \"Value\" FROM {db.Model.FindEntityType(typeof(TEntity))!.GetTableName()} WHERE id = ANY({{0}}) FOR {strength}";
        return db.Database.SqlQueryRaw<long>(sql, ids).ToListAsync(ct);
    }
}

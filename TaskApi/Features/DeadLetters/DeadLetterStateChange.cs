using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.DeadLetters;

/// <summary>
/// Moves a waiting dead letter to replayed or discarded, in one transaction with its row locked FOR UPDATE: a second
/// replay or discard of the same dead letter waits for the first to commit and then finds it no longer waiting, so a
/// record is never published twice by two replays.
/// </summary>
public static class DeadLetterStateChange
{
    /// <summary>
    /// Locks the dead letter, asks <paramref name="whyNot"/> (a 409 with its answer), then sets its state, who and when, has
    /// <paramref name="alongside"/> add what goes with the change (a replay's outbox record) and commits. 404 for an unknown id.
    /// </summary>
    public static Task<Results<Ok<DeadLetterSummary>, ProblemHttpResult>> ApplyAsync(
        TasksDbContext db, long id, DeadLetterState to, string by, DateTimeOffset now, string conflictTitle,
        Func<DeadLetter, string?> whyNot, Action<DeadLetter> alongside, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async Task<Results<Ok<DeadLetterSummary>, ProblemHttpResult>> () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var deadLetter = await db.DeadLetters.FromSql($"SELECT * FROM dead_letters WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (deadLetter is null)
            {
                return DeadLetterProblems.NotFound(id);
            }
            if (whyNot(deadLetter) is { } refusal)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: conflictTitle, detail: refusal);
            }
            alongside(deadLetter);
            deadLetter.State = to;
            deadLetter.StateChangedAt = now;
            deadLetter.StateChangedBy = by;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(DeadLetterSummary.From(deadLetter));
        });

    /// <summary>Null when the dead letter still waits; else why it cannot change again.</summary>
    public static string? UnlessWaiting(DeadLetter deadLetter) => deadLetter.State == DeadLetterState.Waiting
        ? null
        : $"Dead letter {deadLetter.Id} is {StatusNames<DeadLetterState>.Of(deadLetter.State)} already; only a waiting one can be replayed or discarded.";
}

using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.CancelMailing;

/// <summary>
/// <c>DELETE /mailings/{id}</c>: cancels a scheduled or running mailing. Its unsent messages become cancelled, its
/// Scheduler entries are dropped, and the workers are told, so they send nothing more of it.
/// </summary>
public sealed partial class CancelMailingEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    MailingMetrics metrics,
    TimeProvider clock,
    ILogger<CancelMailingEndpoint> logger) : Endpoint<MailingIdRequest, Results<Ok<MailingResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsWrite);
        Description(endpoint => endpoint.WithName("CancelMailing")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Cancel a mailing";
            summary.Description = "A scheduled mailing never starts; a running one sends nothing more and its unsent messages become " +
                "'cancelled'. Cancelling a cancelled mailing again changes nothing.";
            summary.Responses[StatusCodes.Status200OK] = "The mailing, cancelled.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No mailing has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "The mailing has finished.";
        });
    }

    public override async Task<Results<Ok<MailingResponse>, ProblemHttpResult>> ExecuteAsync(MailingIdRequest request, CancellationToken ct)
    {
        var (mailing, cancelled) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var mailing = await MailingMessages.LockAsync(db, request.Id, ct);
            if (mailing is not { Status: MailingStatus.Scheduled or MailingStatus.Running })
            {
                return (mailing, -1);
            }
            var now = clock.GetUtcNow();
            var cancelled = await MailingMessages.EndPendingAsync(db, mailing, MessageStatus.Cancelled, now, ct);
            var traceParent = TaskCreation.CurrentTraceParent();
            if (mailing.Status == MailingStatus.Scheduled)
            {
                db.OutboxMessages.Add(MailingRecords.CancelDue(mailing, MailingMoment.Start, traceParent, now));
            }
            mailing.Status = MailingStatus.Cancelled;
            mailing.FinishedAt = now;
            db.OutboxMessages.AddRange(
                MailingRecords.CancelDue(mailing, MailingMoment.End, traceParent, now),
                MailingRecords.Changed(mailing, traceParent, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (mailing, cancelled);
        });

        switch (mailing)
        {
            case null:
                return MailingProblems.NotFound(request.Id);
            case { Status: MailingStatus.Finished }:
                return MailingProblems.Conflict(mailing, "a finished mailing cannot be cancelled");
        }
        if (cancelled >= 0)
        {
            outbox.Notify();
            metrics.Settled(MessageStatus.Cancelled, cancelled);
            LogCancelled(logger, mailing.Id, cancelled);
        }
        return TypedResults.Ok(MailingResponse.From(mailing));
    }

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} cancelled; {Cancelled} unsent messages cancelled")]
    private static partial void LogCancelled(ILogger logger, long mailingId, int cancelled);
}

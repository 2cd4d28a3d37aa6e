using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Mailings.CreateMailing;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.UpdateMailing;

/// <summary>
/// <c>PATCH /mailings/{id}</c>: changes a scheduled mailing (text, filter, window, times) or a running one's end. Changed
/// times are a new version: the Scheduler's entries for the old ones are cancelled (and ignored should they still come),
/// new ones requested, and the workers told the new end.
/// </summary>
public sealed partial class UpdateMailingEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<UpdateMailingEndpoint> logger) : Endpoint<UpdateMailingRequest, Results<Ok<MailingResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/{id}");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsWrite);
        MaxRequestBodySize(CreateMailingEndpoint.MaxRequestBytes);
        Description(endpoint => endpoint.WithName("UpdateMailing")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Change a mailing";
            summary.Description = "Fields left out stay as they are. A scheduled mailing may change its text, filter, send window, startAt " +
                "and endAt; a running one only its endAt (an earlier end expires what is unsent then).";
            summary.Responses[StatusCodes.Status404NotFound] = "No mailing has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "The mailing is finished or cancelled, or running and a field other than endAt was given.";
        });
    }

    public override async Task<Results<Ok<MailingResponse>, ProblemHttpResult>> ExecuteAsync(UpdateMailingRequest request, CancellationToken ct)
    {
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var mailing = await MailingMessages.LockAsync(db, request.Id, ct);
            if (mailing is null)
            {
                return MailingProblems.NotFound(request.Id);
            }
            if (Refusal(mailing, request) is { } refusal)
            {
                return refusal;
            }
            var startAt = request.StartAt?.ToUniversalTime().TruncateToMicroseconds() ?? mailing.StartAt;
            var endAt = request.EndAt?.ToUniversalTime().TruncateToMicroseconds() ?? mailing.EndAt;
            if (endAt <= startAt)
            {
                ValidationFailures.Add(new("endAt", "'endAt' must be after 'startAt'."));
                ThrowIfAnyErrors();
            }

            var now = clock.GetUtcNow();
            var traceParent = TaskCreation.CurrentTraceParent();
            if (startAt != mailing.StartAt || endAt != mailing.EndAt)
            {
                Reschedule(mailing, startAt, endAt, traceParent, now);
            }
            mailing.Text = request.Text ?? mailing.Text;
            if (request.Filter is { } filter)
            {
                mailing.OperatorCodes = filter.DistinctOperatorCodes();
                mailing.Tags = filter.DistinctTags();
            }
            mailing.SendWindow = request.SendWindow?.ToSendWindow() ?? mailing.SendWindow;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (IResult)TypedResults.Ok(MailingResponse.From(mailing));
        });

        if (outcome is Ok<MailingResponse> ok)
        {
            outbox.Notify();
            LogChanged(logger, request.Id);
            return ok;
        }
        return (ProblemHttpResult)outcome;
    }

    private static ProblemHttpResult? Refusal(Mailing mailing, UpdateMailingRequest request) => mailing.Status switch
    {
        MailingStatus.Scheduled => null,
        MailingStatus.Running when request.ScheduledOnlyFields().ToList() is { Count: > 0 } fields =>
            MailingProblems.Conflict(mailing, $"only 'endAt' can change while it runs (given: {string.Join(", ", fields)})"),
        MailingStatus.Running => null,
        _ => MailingProblems.Conflict(mailing, "it can no longer change"),
    };

    /// <summary>Moves the Scheduler's entries to the new times under a new version of them.</summary>
    private void Reschedule(Mailing mailing, DateTimeOffset startAt, DateTimeOffset endAt, string? traceParent, DateTimeOffset now)
    {
        if (mailing.Status == MailingStatus.Scheduled)
        {
            db.OutboxMessages.Add(MailingRecords.CancelDue(mailing, MailingMoment.Start, traceParent, now));
        }
        db.OutboxMessages.Add(MailingRecords.CancelDue(mailing, MailingMoment.End, traceParent, now));
        mailing.StartAt = startAt;
        mailing.EndAt = endAt;
        mailing.TimesVersion++;
        if (mailing.Status == MailingStatus.Scheduled)
        {
            db.OutboxMessages.Add(MailingRecords.Due(mailing, MailingMoment.Start, traceParent, now));
        }
        db.OutboxMessages.AddRange(MailingRecords.Due(mailing, MailingMoment.End, traceParent, now), MailingRecords.Changed(mailing, traceParent, now));
    }

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} changed")]
    private static partial void LogChanged(ILogger logger, long mailingId);
}

using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.CreateMailing;

/// <summary><c>POST /mailings</c>: stores a mailing and sets its start and end in motion.</summary>
public sealed partial class CreateMailingEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<CreateMailingEndpoint> logger) : Endpoint<CreateMailingRequest, Created<MailingResponse>>
{
    public const int MaxRequestBytes = 64 * 1024;

    public override void Configure()
    {
        Post("/");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsWrite);
        RequestBinder(new RequestBinder<CreateMailingRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateMailing")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create an SMS mailing";
            summary.Description = "Stores a mailing with status 'scheduled'. At startAt (at once when that has passed) it becomes 'running' and " +
                "makes one message for every client matching the filter; each goes out inside the client's local send window, failed " +
                "attempts that may succeed later are retried with backoff, and at endAt whatever is unsent expires.";
            summary.Responses[StatusCodes.Status201Created] = "The mailing was created; Location is its address.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Created<MailingResponse>> ExecuteAsync(CreateMailingRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var mailing = request.ToMailing(now, User.Id());
        // The mailing and the records that start and end it commit together (the execution strategy retries the whole unit).
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Mailings.Add(mailing);
            await db.SaveChangesAsync(ct);
            var traceParent = TaskCreation.CurrentTraceParent();
            db.OutboxMessages.AddRange(
                MailingRecords.Changed(mailing, traceParent, now),
                MailingRecords.Due(mailing, MailingMoment.Start, traceParent, now),
                MailingRecords.Due(mailing, MailingMoment.End, traceParent, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
        outbox.Notify();
        LogCreated(logger, mailing.Id, mailing.StartAt, mailing.EndAt);
        return TypedResults.Created($"/mailings/{mailing.Id}", MailingResponse.From(mailing));
    }

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} created, from {StartAt:O} to {EndAt:O}")]
    private static partial void LogCreated(ILogger logger, long mailingId, DateTimeOffset startAt, DateTimeOffset endAt);
}

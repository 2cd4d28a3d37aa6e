using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.DeadLetters.ReplayDeadLetter;

/// <summary>
/// <c>POST /dead-letters/{id}/replay</c>: publishes the dead letter again to the topic it came from, with its original key,
/// value and headers, through the outbox (the record is written in the transaction that marks it replayed).
/// </summary>
public sealed partial class ReplayDeadLetterEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<ReplayDeadLetterEndpoint> logger) : Endpoint<DeadLetterIdRequest, Results<Ok<DeadLetterSummary>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/replay");
        Group<DeadLettersGroup>();
        Policies(ApiAccess.DeadLettersWrite);
        Description(endpoint => endpoint
            .WithName("ReplayDeadLetter")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Replay a dead letter to the topic it came from";
            summary.Description = "Publishes the original key, value and headers again to the source topic (through the outbox, so at least " +
                "once: the topic's consumer handles it as any record) and marks the dead letter replayed by the caller. Once only: a " +
                "replayed or discarded dead letter answers 409.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No dead letter has this id.";
            summary.Responses[StatusCodes.Status409Conflict] =
                "The dead letter is not waiting (replayed or discarded already), is a truncated copy, or came from an unknown topic or one not of the system.";
        });
    }

    public override async Task<Results<Ok<DeadLetterSummary>, ProblemHttpResult>> ExecuteAsync(DeadLetterIdRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var result = await DeadLetterStateChange.ApplyAsync(db, request.Id, DeadLetterState.Replayed, User.Id(), now, "Dead letter cannot be replayed",
            DeadLetterReplay.WhyNot,
            deadLetter => db.OutboxMessages.Add(new OutboxMessage
            {
                Topic = deadLetter.SourceTopic!,
                Key = deadLetter.Key,
                Value = deadLetter.Value,
                Headers = deadLetter.Headers,
                TraceParent = TaskCreation.CurrentTraceParent(),
                CreatedAt = now,
            }),
            ct);
        if (result.Result is Ok<DeadLetterSummary> { Value: { } replayed })
        {
            outbox.Notify();
            LogReplayed(logger, replayed.Id, replayed.SourceTopic!, User.Id());
        }
        return result;
    }

    [LoggerMessage(LogLevel.Information, "Dead letter {DeadLetterId} replayed to {Topic} by {Actor}")]
    private static partial void LogReplayed(ILogger logger, long deadLetterId, string topic, string actor);
}

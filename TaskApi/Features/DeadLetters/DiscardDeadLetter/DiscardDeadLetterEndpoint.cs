using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.DeadLetters.DiscardDeadLetter;

/// <summary><c>POST /dead-letters/{id}/discard</c>: sets a waiting dead letter aside for good (it stays, marked discarded).</summary>
public sealed partial class DiscardDeadLetterEndpoint(
    TasksDbContext db,
    TimeProvider clock,
    ILogger<DiscardDeadLetterEndpoint> logger) : Endpoint<DeadLetterIdRequest, Results<Ok<DeadLetterSummary>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/discard");
        Group<DeadLettersGroup>();
        Policies(ApiAccess.DeadLettersWrite);
        Description(endpoint => endpoint
            .WithName("DiscardDeadLetter")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Discard a dead letter";
            summary.Description = "Marks a waiting dead letter discarded by the caller: it is kept, and no longer counts as waiting.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No dead letter has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "The dead letter is not waiting (replayed or discarded already).";
        });
    }

    public override async Task<Results<Ok<DeadLetterSummary>, ProblemHttpResult>> ExecuteAsync(DeadLetterIdRequest request, CancellationToken ct)
    {
        var result = await DeadLetterStateChange.ApplyAsync(db, request.Id, DeadLetterState.Discarded, User.Id(),
            clock.GetUtcNow().TruncateToMicroseconds(), "Dead letter not waiting", DeadLetterStateChange.UnlessWaiting, _ => { }, ct);
        if (result.Result is Ok<DeadLetterSummary> { Value: { } discarded })
        {
            LogDiscarded(logger, discarded.Id, User.Id());
        }
        return result;
    }

    [LoggerMessage(LogLevel.Information, "Dead letter {DeadLetterId} discarded by {Actor}")]
    private static partial void LogDiscarded(ILogger logger, long deadLetterId, string actor);
}

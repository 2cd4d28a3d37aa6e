using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.DeadLetters.GetDeadLetter;

/// <summary><c>GET /dead-letters/{id}</c>: one dead letter with its headers and payload.</summary>
public sealed class GetDeadLetterEndpoint(TasksDbContext db) : Endpoint<DeadLetterIdRequest, Results<Ok<DeadLetterResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<DeadLettersGroup>();
        Policies(ApiAccess.DeadLettersRead);
        Description(endpoint => endpoint
            .WithName("GetDeadLetter")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a dead letter by id, with its headers and payload";
            summary.Description = "The key, header values and payload as text when they are UTF-8 (a JSON payload is its JSON text), else as " +
                "base64 (flagged); as large as the record (Kafka's record limit bounds it).";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No dead letter has this id.";
        });
    }

    public override async Task<Results<Ok<DeadLetterResponse>, ProblemHttpResult>> ExecuteAsync(DeadLetterIdRequest request, CancellationToken ct)
    {
        var deadLetter = await db.DeadLetters.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.Id, ct);
        return deadLetter is null ? DeadLetterProblems.NotFound(request.Id) : TypedResults.Ok(DeadLetterResponse.From(deadLetter));
    }
}

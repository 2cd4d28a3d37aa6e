using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskApi.Features.DeadLetters;

/// <summary>The <c>/dead-letters</c> routes: one endpoint per use case in the folders beside this file.</summary>
public sealed class DeadLettersGroup : Group
{
    // Tagged "Dead letters" rather than by the route's first segment ("Dead-letters"), which would list each operation twice.
    public DeadLettersGroup() => Configure("dead-letters", endpoint =>
    {
        endpoint.DontAutoTag();
        endpoint.Description(description => description.WithTags("Dead letters"));
    });
}

/// <summary>The RFC 7807 answers the dead-letter endpoints share.</summary>
public static class DeadLetterProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found", detail: $"No dead letter has id {id}.");
}

/// <summary>The route of <c>/dead-letters/{id}</c>.</summary>
public sealed class DeadLetterIdRequest
{
    /// <summary>The dead letter's id.</summary>
    public long Id { get; set; }
}

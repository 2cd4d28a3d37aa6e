using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskApi.Features.Lists;

/// <summary>The RFC 7807 answers the list endpoints share.</summary>
public static class ListProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "List not found", detail: $"No list has id {id}.");

    public static ProblemHttpResult SubscriberNotFound(long listId, long subscriberId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Subscriber not found",
            detail: $"List {listId} has no subscriber with id {subscriberId}.");

    public static ProblemHttpResult InUse(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "List in use",
            detail: $"A scheduled or sending campaign sends to list {id}; delete the list once the campaign has finished or is cancelled.");
}

/// <summary>The route of <c>/lists/{id}</c>.</summary>
public sealed class ListIdRequest
{
    /// <summary>The list's id (an integer).</summary>
    public long Id { get; set; }
}

/// <summary>The route of <c>/lists/{id}/subscribers/{subscriberId}</c>.</summary>
public sealed class SubscriberIdRequest
{
    /// <summary>The list's id (an integer).</summary>
    public long Id { get; set; }

    /// <summary>The subscriber's id (an integer).</summary>
    public long SubscriberId { get; set; }
}

using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>The RFC 7807 answers the mailing endpoints share.</summary>
public static class MailingProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Mailing not found", detail: $"No mailing has id {id}.");

    public static ProblemHttpResult Conflict(Mailing mailing, string action) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Mailing cannot change",
            detail: $"Mailing {mailing.Id} is {StatusNames<MailingStatus>.Of(mailing.Status)}; {action}.");
}

/// <summary>The route of <c>/mailings/{id}</c>.</summary>
public sealed class MailingIdRequest
{
    /// <summary>The mailing's id.</summary>
    public long Id { get; set; }
}

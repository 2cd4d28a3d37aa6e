using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskApi.Features.Users;

/// <summary>The RFC 7807 answers the user endpoints share.</summary>
public static class UserProblems
{
    public static ProblemHttpResult NotFound(string userId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user has the id '{userId}'.");
}

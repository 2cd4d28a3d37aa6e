using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskApi.Features.Clients;

/// <summary>The RFC 7807 answers the client endpoints share.</summary>
public static class ClientProblems
{
    /// <summary>The member of a 409 problem that holds the id of the client that has the phone.</summary>
    public const string ClientIdMember = "clientId";

    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Client not found", detail: $"No client has id {id}.");

    public static ProblemHttpResult PhoneTaken(string phone, long ownerId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Phone already registered",
            detail: $"Client {ownerId} has the phone {phone}; a phone belongs to one client.",
            extensions: new Dictionary<string, object?> { [ClientIdMember] = ownerId });
}

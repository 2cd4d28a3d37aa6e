using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using TaskApi.Model;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients.CreateClient;

/// <summary><c>POST /clients</c>: adds a client to the directory mailings send to.</summary>
public sealed class CreateClientEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<ClientRequest, Results<Created<ClientResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/");
        Group<ClientsGroup>();
        Policies(ApiAccess.MailingsWrite);
        // The body only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<ClientRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(ClientRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateClient")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create a client";
            summary.Description = "Stores a client with a mobile number (international form, digits, optionally after '+'), its operator code " +
                "(derived from the number when omitted), a tag and an IANA time zone (default UTC).";
            summary.Responses[StatusCodes.Status201Created] = "The client was created; Location is its address.";
            summary.Responses[StatusCodes.Status409Conflict] = $"Another client has this phone; '{ClientProblems.ClientIdMember}' is its id.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {ClientRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Created<ClientResponse>, ProblemHttpResult>> ExecuteAsync(ClientRequest request, CancellationToken ct)
    {
        var client = request.ToClient(clock.GetUtcNow().TruncateToMicroseconds(), User.Id());
        db.Clients.Add(client);
        if (await db.SaveUnlessPhoneTakenAsync(client, ct) is { } owner)
        {
            return ClientProblems.PhoneTaken(client.Phone, owner);
        }
        return TypedResults.Created($"/clients/{client.Id}", ClientResponse.From(client));
    }
}

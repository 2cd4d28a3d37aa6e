using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Model;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients.UpdateClient;

/// <summary><c>PUT /clients/{id}</c>: replaces all of a client's fields; omitted ones take their defaults, as at creation.</summary>
public sealed class UpdateClientEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<UpdateClientRequest, Results<Ok<ClientResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/{id}");
        Group<ClientsGroup>();
        Policies(ApiAccess.MailingsWrite);
        // The body and the route only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<UpdateClientRequest>(BindingSource.JsonBody | BindingSource.RouteValues));
        MaxRequestBodySize(ClientRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("UpdateClient")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Replace a client";
            summary.Description = "Replaces every field with the body's, by the same rules as creation: an omitted operatorCode is derived " +
                "from the new phone, an omitted tag becomes empty and an omitted timezone UTC. updatedAt is set to now; createdBy stays.";
            summary.Responses[StatusCodes.Status200OK] = "The client as replaced.";
            summary.Responses[StatusCodes.Status404NotFound] = "No client has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = $"Another client has this phone; '{ClientProblems.ClientIdMember}' is its id.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {ClientRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> ExecuteAsync(UpdateClientRequest request, CancellationToken ct)
    {
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == request.Id, ct);
        if (client is null)
        {
            return ClientProblems.NotFound(request.Id);
        }

        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var replacement = request.ToClient(now, client.CreatedBy);
        client.Phone = replacement.Phone;
        client.OperatorCode = replacement.OperatorCode;
        client.Tag = replacement.Tag;
        client.TimeZone = replacement.TimeZone;
        client.UpdatedAt = now;
        try
        {
            if (await db.SaveUnlessPhoneTakenAsync(client, ct) is { } owner)
            {
                return ClientProblems.PhoneTaken(client.Phone, owner);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted by another request after it was read: there is nothing left to replace.
            return ClientProblems.NotFound(request.Id);
        }
        return TypedResults.Ok(ClientResponse.From(client));
    }
}

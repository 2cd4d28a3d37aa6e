using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients.GetClient;

/// <summary><c>GET /clients/{id}</c>: one client.</summary>
public sealed class GetClientEndpoint(TasksDbContext db) : Endpoint<ClientIdRequest, Results<Ok<ClientResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<ClientsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint
            .WithName("GetClient")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a client by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No client has this id.";
        });
    }

    public override async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> ExecuteAsync(ClientIdRequest request, CancellationToken ct)
    {
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.Id, ct);
        return client is null ? ClientProblems.NotFound(request.Id) : TypedResults.Ok(ClientResponse.From(client));
    }
}

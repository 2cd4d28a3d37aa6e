using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients.DeleteClient;

/// <summary>
/// <c>DELETE /clients/{id}</c>: removes a client from the directory. Only the client row goes: the SMS messages made for
/// it keep its id (no foreign key), so past mailings' statistics stay whole.
/// </summary>
public sealed class DeleteClientEndpoint(TasksDbContext db) : Endpoint<ClientIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<ClientsGroup>();
        Policies(ApiAccess.MailingsWrite);
        Description(endpoint => endpoint
            .WithName("DeleteClient")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Delete a client";
            summary.Description = "Later mailings no longer send to it; messages already made for it stay in their mailings' statistics.";
            summary.Responses[StatusCodes.Status204NoContent] = "The client was deleted.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No client has this id.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(ClientIdRequest request, CancellationToken ct)
    {
        var deleted = await db.Clients.Where(c => c.Id == request.Id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? ClientProblems.NotFound(request.Id) : TypedResults.NoContent();
    }
}

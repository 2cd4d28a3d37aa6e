using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.GetMailing;

/// <summary><c>GET /mailings/{id}</c>: one mailing with its message counts.</summary>
public sealed class GetMailingEndpoint(TasksDbContext db) : Endpoint<MailingIdRequest, Results<Ok<MailingResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint.WithName("GetMailing").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a mailing by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No mailing has this id.";
        });
    }

    public override async Task<Results<Ok<MailingResponse>, ProblemHttpResult>> ExecuteAsync(MailingIdRequest request, CancellationToken ct)
    {
        var mailing = await db.Mailings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == request.Id, ct);
        return mailing is null ? MailingProblems.NotFound(request.Id) : TypedResults.Ok(MailingResponse.From(mailing));
    }
}

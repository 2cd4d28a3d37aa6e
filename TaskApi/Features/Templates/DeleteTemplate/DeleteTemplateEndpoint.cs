using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates.DeleteTemplate;

/// <summary><c>DELETE /templates/{id}</c>: removes a template no scheduled or sending campaign uses.</summary>
public sealed class DeleteTemplateEndpoint(TasksDbContext db) : Endpoint<TemplateIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsWrite);
        Description(endpoint => endpoint
            .WithName("DeleteTemplate")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Delete an email template";
            summary.Responses[StatusCodes.Status204NoContent] = "The template was deleted.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No template has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "A scheduled or sending campaign uses the template.";
        });
    }

    // Locked first: a campaign taking it meanwhile waits for the answer, or is waited for (RowLocks).
    public override Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(TemplateIdRequest request, CancellationToken ct) =>
        db.DeleteUnlessInUseAsync<EmailTemplate>(request.Id, () => TemplateUsage.IsInUseAsync(db, request.Id, ct),
            TemplateProblems.NotFound(request.Id), TemplateProblems.InUse(request.Id), ct);
}

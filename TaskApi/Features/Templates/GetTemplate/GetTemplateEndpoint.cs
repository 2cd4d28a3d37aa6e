using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates.GetTemplate;

/// <summary><c>GET /templates/{id}</c>: one template.</summary>
public sealed class GetTemplateEndpoint(TasksDbContext db) : Endpoint<TemplateIdRequest, Results<Ok<TemplateResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint
            .WithName("GetTemplate")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get an email template by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No template has this id.";
        });
    }

    public override async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> ExecuteAsync(TemplateIdRequest request, CancellationToken ct)
    {
        var template = await db.EmailTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == request.Id, ct);
        return template is null ? TemplateProblems.NotFound(request.Id) : TypedResults.Ok(TemplateResponse.From(template));
    }
}

using System.Text.Json.Serialization;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates.UpdateTemplate;

/// <summary>
/// <c>PUT /templates/{id}</c>: replaces all of a template's fields, by the rules of creation. Allowed while campaigns use
/// it: one that is sending has its own copy of the parts (<see cref="TemplateUsage"/>).
/// </summary>
public sealed class UpdateTemplateEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<UpdateTemplateRequest, Results<Ok<TemplateResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/{id}");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsWrite);
        // The body and the route only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<UpdateTemplateRequest>(BindingSource.JsonBody | BindingSource.RouteValues));
        MaxRequestBodySize(TemplateRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("UpdateTemplate")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Replace an email template";
            summary.Description = TemplateDocs.Parts + " Campaigns not yet sending will send the new version; one already sending " +
                "keeps the version it started with. updatedAt is set to now.";
            summary.Responses[StatusCodes.Status200OK] = "The template as replaced.";
            summary.Responses[StatusCodes.Status400BadRequest] = TemplateDocs.Invalid;
            summary.Responses[StatusCodes.Status404NotFound] = "No template has this id.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {TemplateRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> ExecuteAsync(UpdateTemplateRequest request, CancellationToken ct)
    {
        var template = await db.EmailTemplates.FirstOrDefaultAsync(t => t.Id == request.Id, ct);
        if (template is null)
        {
            return TemplateProblems.NotFound(request.Id);
        }

        var replacement = request.ToTemplate(clock.GetUtcNow().TruncateToMicroseconds(), template.CreatedBy);
        template.Name = replacement.Name;
        template.Subject = replacement.Subject;
        template.Html = replacement.Html;
        template.Text = replacement.Text;
        template.UpdatedAt = replacement.UpdatedAt;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted by another request after it was read: there is nothing left to replace.
            return TemplateProblems.NotFound(request.Id);
        }
        return TypedResults.Ok(TemplateResponse.From(template));
    }
}

/// <summary><c>PUT /templates/{id}</c>: the template's id from the route and all its fields from the body.</summary>
public sealed class UpdateTemplateRequest : TemplateRequest
{
    /// <summary>The template's id (an integer).</summary>
    // From the route only: an "id" in the body is not read.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public long Id { get; set; }
}

public sealed class UpdateTemplateValidator : Validator<UpdateTemplateRequest>
{
    public UpdateTemplateValidator() => Include(new TemplateRules());
}

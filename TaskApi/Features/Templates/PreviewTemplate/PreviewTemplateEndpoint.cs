using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Infrastructure;
using Tasks.EmailTemplates;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates.PreviewTemplate;

/// <summary><c>POST /templates/{id}/preview</c>: the email a template makes of the given values, without tracking.</summary>
public sealed class PreviewTemplateEndpoint(TasksDbContext db, IOptions<TrackingOptions> tracking)
    : Endpoint<PreviewTemplateRequest, Results<Ok<TemplatePreviewResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/preview");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsRead);
        // The body and the route only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<PreviewTemplateRequest>(BindingSource.JsonBody | BindingSource.RouteValues));
        MaxRequestBodySize(PreviewValues.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("PreviewTemplate")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Preview an email template";
            summary.Description = "Renders the subject, the HTML part and the text part with the given recipient, sender, message and " +
                $"campaign name, as a campaign would but without tracking: links stay as written, unsubscribe_url is {{Tracking:PublicBaseUrl}}{TemplatePreview.UnsubscribePath}.";
            summary.Responses[StatusCodes.Status200OK] = "The rendered email.";
            summary.Responses[StatusCodes.Status400BadRequest] =
                "A value is missing or invalid (the error names it), or a part of the template fails with these values (the error names the part).";
            summary.Responses[StatusCodes.Status404NotFound] = "No template has this id.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {PreviewValues.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Ok<TemplatePreviewResponse>, ProblemHttpResult>> ExecuteAsync(PreviewTemplateRequest request, CancellationToken ct)
    {
        var template = await db.EmailTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == request.Id, ct);
        if (template is null)
        {
            return TemplateProblems.NotFound(request.Id);
        }

        // A stored template compiled when it was stored; only a stricter compiler could refuse it now.
        return TemplatePreview.Render(HttpContext, template, request, template.Name, tracking.Value, ct);
    }
}

using FastEndpoints;
using TaskApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates.CreateTemplate;

/// <summary><c>POST /templates</c>: stores an email template once its three parts compile.</summary>
public sealed class CreateTemplateEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<TemplateRequest, Created<TemplateResponse>>
{
    public override void Configure()
    {
        Post("/");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsWrite);
        // The body only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<TemplateRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(TemplateRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateTemplate")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create an email template";
            summary.Description = TemplateDocs.Parts;
            summary.Responses[StatusCodes.Status201Created] = "The template was created; Location is its address.";
            summary.Responses[StatusCodes.Status400BadRequest] = TemplateDocs.Invalid;
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {TemplateRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Created<TemplateResponse>> ExecuteAsync(TemplateRequest request, CancellationToken ct)
    {
        var template = request.ToTemplate(clock.GetUtcNow().TruncateToMicroseconds(), User.Id());
        db.EmailTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/templates/{template.Id}", TemplateResponse.From(template));
    }
}

public sealed class CreateTemplateValidator : Validator<TemplateRequest>
{
    public CreateTemplateValidator() => Include(new TemplateRules());
}

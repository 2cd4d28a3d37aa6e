using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TaskApi.Features.Templates.PreviewTemplate;
using TaskApi.Infrastructure.Access;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Templates.PreviewDraft;

/// <summary>
/// <c>POST /templates/preview</c>: the email an unsaved template makes of the given values, without tracking: the live
/// preview of the console's template editor, by the rules and rendering of <c>POST /templates/{id}/preview</c>.
/// </summary>
public sealed class PreviewDraftEndpoint(IOptions<TrackingOptions> tracking)
    : Endpoint<PreviewDraftRequest, Results<Ok<TemplatePreviewResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/preview");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsRead);
        // The body only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<PreviewDraftRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(PreviewDraftRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("PreviewDraftTemplate")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Preview an unsaved email template";
            summary.Description = "Renders the draft's subject, HTML part and text part (Liquid, by the rules of POST /templates) with the given " +
                "recipient, sender, message and campaign name, as a campaign would but without tracking: links stay as written, unsubscribe_url is " +
                $"{{Tracking:PublicBaseUrl}}{TemplatePreview.UnsubscribePath}. Nothing is stored.";
            summary.Responses[StatusCodes.Status200OK] = "The rendered email.";
            summary.Responses[StatusCodes.Status400BadRequest] =
                "A value or a part is missing, too long or invalid (the error names it), a part does not compile (the error names the part " +
                "and says where, as \"line 3, column 14: ...\"), or a part fails with these values (the error names the part).";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {PreviewDraftRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override Task<Results<Ok<TemplatePreviewResponse>, ProblemHttpResult>> ExecuteAsync(PreviewDraftRequest request, CancellationToken ct) =>
        Task.FromResult(TemplatePreview.Render(HttpContext, request, request, "", tracking.Value, ct));
}

/// <summary><c>POST /templates/preview</c>: a draft's three parts and the values to render them with.</summary>
public sealed class PreviewDraftRequest : PreviewValues, ITemplateParts
{
    /// <summary>Room for a template's parts and a preview's values, escaped in JSON; larger bodies are refused before they are parsed.</summary>
    public new const int MaxRequestBytes = TemplateRequest.MaxRequestBytes + PreviewValues.MaxRequestBytes;

    /// <summary>The subject, a Liquid template: 1 to 998 characters without control characters.</summary>
    public string? Subject { get; set; }

    /// <summary>The HTML part, a Liquid template: 1 byte to 512 KiB (UTF-8). Values are HTML-escaped.</summary>
    public string? Html { get; set; }

    /// <summary>The plain-text part, a Liquid template of at most 512 KiB (UTF-8); absent or empty: derived from the rendered HTML.</summary>
    public string? Text { get; set; }
}

public sealed class PreviewDraftValidator : Validator<PreviewDraftRequest>
{
    public PreviewDraftValidator()
    {
        Include(new TemplatePartsRules());
        Include(new PreviewValuesRules());
    }
}

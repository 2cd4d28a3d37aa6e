using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Features.Templates.PreviewTemplate;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Templates;

/// <summary>
/// Renders a template's parts with the values of a preview, as a campaign would but without tracking: the one rendering
/// of the previews of a stored template and of a draft.
/// </summary>
public static class TemplatePreview
{
    /// <summary>The unsubscribe_url of a preview, under the public address (it unsubscribes nobody).</summary>
    public const string UnsubscribePath = "/u/preview";

    /// <summary>
    /// The rendered email, or a 400 naming each part that does not compile (with its line and column) or fails with these
    /// values. <paramref name="defaultCampaignName"/> is campaign.name when the values give none.
    /// </summary>
    public static Results<Ok<TemplatePreviewResponse>, ProblemHttpResult> Render(HttpContext context, ITemplateParts parts, PreviewValues values,
        string defaultCampaignName, TrackingOptions tracking, CancellationToken ct)
    {
        var compilation = EmailTemplateCompiler.Compile(parts.Subject!, parts.Html!, parts.Text);
        if (compilation.Template is null)
        {
            return TemplateProblems.DoNotCompile(context, compilation.Errors);
        }
        var variables = new EmailVariables(
            values.Recipient!.ToEmailPerson(),
            values.Recipient.Fields,
            values.Sender!.ToEmailPerson(),
            values.Message ?? "",
            values.CampaignName ?? defaultCampaignName,
            tracking.BaseUrl + UnsubscribePath);
        try
        {
            // A caller that hangs up stops the rendering.
            var email = compilation.Template.Render(variables, cancellation: ct);
            return TypedResults.Ok(new TemplatePreviewResponse(email.Subject, email.Html, email.Text));
        }
        catch (TemplateRenderException failure)
        {
            return TemplateProblems.PartFailed(context, failure.Part, failure.Message);
        }
    }
}

namespace TaskApi.Features.Templates;

/// <summary>A template as the API shows it.</summary>
/// <param name="Id">The template's id.</param>
/// <param name="Name">What the template is called.</param>
/// <param name="Subject">The subject's Liquid template.</param>
/// <param name="Html">The HTML part's Liquid template.</param>
/// <param name="Text">The text part's Liquid template; null: derived from the rendered HTML.</param>
/// <param name="CreatedAt">When the template was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id; null for templates older than that record.</param>
/// <param name="UpdatedAt">When the template was last created or replaced.</param>
public sealed record TemplateResponse(
    long Id,
    string Name,
    string Subject,
    string Html,
    string? Text,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset UpdatedAt)
{
    public static TemplateResponse From(EmailTemplate template) => new(
        template.Id,
        template.Name,
        template.Subject,
        template.Html,
        template.Text,
        template.CreatedAt,
        template.CreatedBy,
        template.UpdatedAt);
}

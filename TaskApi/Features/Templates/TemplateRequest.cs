namespace TaskApi.Features.Templates;

/// <summary>A template's fields: the JSON body of <c>POST /templates</c> and <c>PUT /templates/{id}</c>.</summary>
public class TemplateRequest : ITemplateParts
{
    /// <summary>Room for both parts at their largest, escaped in JSON, and the rest; larger bodies are refused before they are parsed.</summary>
    public const int MaxRequestBytes = 3 * 1024 * 1024;

    /// <summary>What the template is called: 1 to 200 characters, no control characters.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The subject, a Liquid template: 1 to 998 characters without control characters. Rendered on one line, values
    /// unescaped.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>The HTML part, a Liquid template: 1 byte to 512 KiB (UTF-8). Values are HTML-escaped.</summary>
    public string? Html { get; set; }

    /// <summary>The plain-text part, a Liquid template of at most 512 KiB (UTF-8); absent or empty: derived from the rendered HTML.</summary>
    public string? Text { get; set; }

    /// <summary>The template these fields describe (valid ones: <see cref="TemplateRules"/>).</summary>
    public EmailTemplate ToTemplate(DateTimeOffset now, string? createdBy) => new()
    {
        Name = Name!,
        Subject = Subject!,
        Html = Html!,
        Text = string.IsNullOrEmpty(Text) ? null : Text,
        CreatedAt = now,
        CreatedBy = createdBy,
        UpdatedAt = now,
    };
}

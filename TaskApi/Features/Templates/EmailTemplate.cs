namespace TaskApi.Features.Templates;

/// <summary>
/// An email campaign's content: a subject, an HTML part and optionally a text part, each a Liquid template over the
/// variables <c>EmailVariables</c> (EmailTemplates library) lists (stored only when it compiles).
/// </summary>
public sealed class EmailTemplate : ITemplateParts
{
    public long Id { get; init; }
    public required string Name { get; set; }
    public required string Subject { get; set; }
    public required string Html { get; set; }

    /// <summary>Null: the text part is derived from the rendered HTML.</summary>
    public string? Text { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>); replacing it keeps the creator.</summary>
    public string? CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

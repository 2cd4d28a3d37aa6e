using System.Globalization;
using Fluid;

namespace Tasks.EmailTemplates;

/// <summary>
/// Compiles an email template's three Liquid parts once, checking that they parse and name only the known variables
/// (<see cref="EmailVariables"/>) and filters, each mistake with its part, line and column.
/// </summary>
public static class EmailTemplateCompiler
{
    public const string SubjectPart = "subject";
    public const string HtmlPart = "html";
    public const string TextPart = "text";

    /// <summary>The variables a template may name, as a sentence lists them (for documentation and messages).</summary>
    public const string KnownVariables = TemplateVariables.Listing;

    /// <summary>
    /// The most errors one compilation lists; one more then says that the rest are not listed. Keeps the answer to 512 KiB
    /// of mistakes small, and the work linear: only listed errors are located (a line and column cost a scan of the text).
    /// </summary>
    public const int MaxErrors = 100;

    // Shared by every template: Fluid reads options concurrently without changing them.
    private static readonly TemplateOptions Options = CreateOptions();

    /// <param name="text">The text part; null or empty: derived from the rendered HTML.</param>
    public static TemplateCompilation Compile(string subject, string html, string? text)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(html);
        var errors = new List<TemplateError>();
        var compiledSubject = CompilePart(SubjectPart, subject, errors);
        var compiledHtml = CompilePart(HtmlPart, html, errors);
        var compiledText = string.IsNullOrEmpty(text) ? null : CompilePart(TextPart, text, errors);
        return errors.Count > 0 || compiledSubject is null || compiledHtml is null
            ? new TemplateCompilation(errors, null)
            : new TemplateCompilation([], new CompiledEmailTemplate(Options, compiledSubject, compiledHtml, compiledText));
    }

    /// <summary>
    /// The errors of a subject on its own, as <see cref="Compile"/> would report them: for a campaign's subject, which
    /// replaces its template's, checked when the campaign is created rather than at its first email.
    /// </summary>
    public static IReadOnlyList<TemplateError> CheckSubject(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var errors = new List<TemplateError>();
        CompilePart(SubjectPart, subject, errors);
        return errors;
    }

    private static IFluidTemplate? CompilePart(string part, string source, List<TemplateError> errors)
    {
        var parsed = LiquidParser.Instance.Parse(source);
        if (parsed.Template is null)
        {
            var error = parsed.Error!;
            errors.Add(new TemplateError(part, error.Position.Line, error.Position.Column, error.Message));
            return null;
        }
        var found = errors.Count;
        var locals = TemplateVariables.LocalsOf(parsed.Template);
        // In the order they appear, so the first errors are the ones listed.
        var mistakes = parsed.References
            .Select(offset => (Offset: offset, Message: TemplateVariables.Check(source, offset, locals)))
            .Concat(parsed.FilterNames.Select(offset => (Offset: offset, Message: UnknownFilter(SourceText.IdentifierAt(source, offset).ToString()))))
            .Where(mistake => mistake.Message is not null)
            .OrderBy(mistake => mistake.Offset);
        foreach (var (offset, message) in mistakes)
        {
            if (errors.Count >= MaxErrors)
            {
                // Once per compilation: a later part adds nothing more.
                if (errors.Count == MaxErrors)
                {
                    Add(errors, part, source, offset, "More errors follow; they are not listed");
                }
                break;
            }
            Add(errors, part, source, offset, message!);
        }
        return errors.Count == found ? RenderLimits.Bound(parsed.Template) : null;
    }

    private static string? UnknownFilter(string name) => Options.Filters.TryGetValue(name, out _) ? null : $"Unknown filter '{name}'";

    private static void Add(List<TemplateError> errors, string part, string source, int offset, string message)
    {
        var position = SourceText.PositionOf(source, offset);
        errors.Add(new TemplateError(part, position.Line, position.Column, message));
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            MaxSteps = RenderLimits.MaxSteps,
            MaxRecursion = RenderLimits.MaxRecursion,
            ModelNamesComparer = StringComparer.Ordinal,
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            // Nothing registered: no .NET member is reachable (the model is made of Fluid values only).
            MemberAccessStrategy = new DefaultMemberAccessStrategy(),
        };
        // 'raw' writes a value unescaped into the HTML part: a subscriber's name must never become markup.
        options.Filters.Remove("raw");
        RenderLimits.Guard(options.Filters);
        return options;
    }
}

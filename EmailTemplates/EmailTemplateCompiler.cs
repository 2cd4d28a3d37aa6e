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
        foreach (var offset in parsed.References)
        {
            if (TemplateVariables.Check(source, offset, locals) is { } message)
            {
                Add(errors, part, source, offset, message);
            }
        }
        foreach (var offset in parsed.FilterNames)
        {
            var name = SourceText.IdentifierAt(source, offset).ToString();
            if (!Options.Filters.TryGetValue(name, out _))
            {
                Add(errors, part, source, offset, $"Unknown filter '{name}'");
            }
        }
        return errors.Count == found ? RenderLimits.Bound(parsed.Template) : null;
    }

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

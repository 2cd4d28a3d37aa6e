namespace Tasks.EmailTemplates;

/// <summary>A mistake in one part of a template, at a 1-based line and column of that part.</summary>
public sealed record TemplateError(string Part, int Line, int Column, string Message)
{
    public override string ToString() => $"{Part}: line {Line}, column {Column}: {Message}";
}

/// <summary>The outcome of <see cref="EmailTemplateCompiler.Compile"/>: the template, or every error found in its parts.</summary>
public sealed class TemplateCompilation
{
    internal TemplateCompilation(IReadOnlyList<TemplateError> errors, CompiledEmailTemplate? template)
    {
        Errors = errors;
        Template = template;
    }

    public bool Succeeded => Template is not null;

    public IReadOnlyList<TemplateError> Errors { get; }

    public CompiledEmailTemplate? Template { get; }
}

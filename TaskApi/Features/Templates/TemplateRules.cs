using System.Text;
using FluentValidation;
using TaskApi.Infrastructure;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Templates;

/// <summary>The three Liquid parts of a template, stored (<see cref="TemplateRequest"/>) or a draft being previewed.</summary>
public interface ITemplateParts
{
    string? Subject { get; }
    string? Html { get; }
    string? Text { get; }
}

/// <summary>
/// The rules of a template's fields, included by the create and update validators: the name, the parts' lengths
/// (<see cref="TemplatePartsRules"/>), then that the three parts compile, each mistake reported under its field with
/// its line and column.
/// </summary>
public sealed class TemplateRules : AbstractValidator<TemplateRequest>
{
    public const int MaxPartBytes = 512 * 1024;

    public TemplateRules()
    {
        // MaximumLength before NotEmpty: FastEndpoints.Swagger writes the last length rule's bounds into the schema.
        RuleFor(t => t.Name)
            .MaximumLength(EmailTemplateConfiguration.MaxNameLength)
            .NotEmpty()
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
        Include(new TemplatePartsRules());

        RuleFor(t => t).Custom((template, context) =>
        {
            foreach (var error in EmailTemplateCompiler.Compile(template.Subject!, template.Html!, template.Text).Errors)
            {
                context.AddFailure(error.Part, Describe(error));
            }
        }).When(TemplatePartsRules.IsWorthCompiling);
    }

    /// <summary>The message of a template error: where, then what.</summary>
    public static string Describe(TemplateError error) => $"line {error.Line}, column {error.Column}: {error.Message}.";

    public static bool FitsAPart(string? part) => part is null || Encoding.UTF8.GetByteCount(part) <= MaxPartBytes;
}

/// <summary>
/// The presence and size of the three parts, before they are compiled: shared by stored templates and by the preview of
/// a draft, which compiles them itself (<see cref="TemplatePreview"/>).
/// </summary>
public sealed class TemplatePartsRules : AbstractValidator<ITemplateParts>
{
    public TemplatePartsRules()
    {
        RuleFor(t => t.Subject)
            .MaximumLength(EmailTemplateConfiguration.MaxSubjectLength)
            .NotEmpty()
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must be one line: no control characters or invalid Unicode.");
        RuleFor(t => t.Html).NotEmpty().MustBeTemplatePart();
        RuleFor(t => t.Text).MustBeTemplatePart();
    }

    /// <summary>Compiled only when the parts are there and within their limits: a part too large is not worth parsing.</summary>
    public static bool IsWorthCompiling(ITemplateParts template) =>
        template.Subject is { Length: > 0 and <= EmailTemplateConfiguration.MaxSubjectLength }
        && !string.IsNullOrEmpty(template.Html) && TemplateRules.FitsAPart(template.Html) && TemplateRules.FitsAPart(template.Text);
}

public static class TemplatePartRules
{
    public static IRuleBuilderOptions<T, string?> MustBeTemplatePart<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(TemplateRules.FitsAPart)
            .WithMessage($"'{{PropertyName}}' must be at most {TemplateRules.MaxPartBytes / 1024} KiB (UTF-8).")
            .Must(part => part is null || TextRules.IsStorable(part)).WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");
}

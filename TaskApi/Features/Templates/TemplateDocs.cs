using Tasks.EmailTemplates;

namespace TaskApi.Features.Templates;

/// <summary>The OpenAPI descriptions the template endpoints share.</summary>
internal static class TemplateDocs
{
    public const string Parts =
        "A name and three Liquid templates: the subject (one line), the HTML part (values HTML-escaped) and optionally the text " +
        "part (absent: derived from the rendered HTML). The variables are " + EmailTemplateCompiler.KnownVariables + "; Liquid tags and " +
        "filters (if, for, assign, capture, upcase, default, ...) may be used, not include or render.";

    public const string Invalid =
        "A field is missing or too long, or a part does not compile: the error names the field (subject, html or text) " +
        "and says where, as \"line 3, column 14: ...\".";
}

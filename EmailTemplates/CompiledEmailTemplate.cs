using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Tasks.EmailTemplates;

/// <summary>
/// A checked template, compiled once and reused for every email of a campaign; thread-safe. Values are HTML-escaped
/// in the HTML part and written as they are in the subject and text parts; the subject is always one line.
/// </summary>
public sealed class CompiledEmailTemplate
{
    // Escapes markup, leaves letters of every script readable.
    private static readonly HtmlEncoder HtmlValues = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly TemplateOptions _options;
    private readonly IFluidTemplate _subject;
    private readonly IFluidTemplate _html;
    private readonly IFluidTemplate? _text;

    internal CompiledEmailTemplate(TemplateOptions options, IFluidTemplate subject, IFluidTemplate html, IFluidTemplate? text)
    {
        _options = options;
        _subject = subject;
        _html = html;
        _text = text;
    }

    /// <summary>
    /// The email for <paramref name="variables"/>. With <paramref name="tracking"/> its HTML links go through the click
    /// endpoint (not the unsubscribe link, nor mailto: and the like) and an open pixel ends the body; the text part keeps
    /// the original links.
    /// </summary>
    /// <exception cref="TemplateRenderException">The template ran too long or produced too much for these values.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public RenderedEmail Render(EmailVariables variables, EmailTracking? tracking = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var model = new LiquidModel(variables);
        var deadline = new RenderDeadline(cancellation);
        var subject = OneLine(RenderPart(EmailTemplateCompiler.SubjectPart, _subject, model, NullEncoder.Default, deadline));
        var html = RenderPart(EmailTemplateCompiler.HtmlPart, _html, model, HtmlValues, deadline);
        var text = _text is null ? null : RenderPart(EmailTemplateCompiler.TextPart, _text, model, NullEncoder.Default, deadline);
        if (text is null || tracking is not null)
        {
            var document = EmailHtml.Parse(html);
            text ??= EmailHtml.ToText(document);
            if (tracking is not null)
            {
                html = EmailHtml.Track(document, tracking, variables.UnsubscribeUrl);
            }
        }
        return new RenderedEmail(subject, html, text);
    }

    private string RenderPart(string part, IFluidTemplate template, LiquidModel model, TextEncoder encoder, RenderDeadline deadline)
    {
        var context = RenderLimits.CreateContext(_options, deadline);
        model.SetInto(context);
        using var writer = RenderLimits.CreateWriter(context);
        try
        {
            // Synchronous in practice: the model holds plain values, nothing to wait for.
            var rendering = template.RenderAsync(writer, encoder, context);
            if (!rendering.IsCompletedSuccessfully)
            {
                rendering.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The limits, or a filter refusing its input (a division by zero, an unreadable date).
            throw new TemplateRenderException(part, exception.Message, exception);
        }
        return writer.ToString()!;
    }

    /// <summary>Runs of white space and control characters (a line break among them) as one space: no header injection.</summary>
    private static string OneLine(string subject)
    {
        var line = new StringBuilder(subject.Length);
        var gap = false;
        foreach (var character in subject)
        {
            if (char.IsWhiteSpace(character) || char.IsControl(character))
            {
                gap = true;
                continue;
            }
            if (gap && line.Length > 0)
            {
                line.Append(' ');
            }
            gap = false;
            line.Append(character);
        }
        return line.ToString();
    }
}

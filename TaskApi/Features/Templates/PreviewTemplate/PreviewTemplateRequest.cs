using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.Templates.PreviewTemplate;

/// <summary>The values a preview renders a template with: the body of <c>POST /templates/{id}/preview</c> and part of <c>POST /templates/preview</c>.</summary>
public abstract class PreviewValues
{
    public const int MaxMessageLength = 10_000;
    public const int MaxFieldsBytes = 64 * 1024;

    /// <summary>Larger bodies are refused before they are parsed: the fields, the message and the rest, escaped in JSON.</summary>
    public const int MaxRequestBytes = 4 * (MaxFieldsBytes + MaxMessageLength) + 16 * 1024;

    /// <summary>Who the email is for: recipient.email, recipient.name and recipient.fields.</summary>
    public PreviewRecipient? Recipient { get; set; }

    /// <summary>Who it is from: sender.email and sender.name.</summary>
    public PreviewPerson? Sender { get; set; }

    /// <summary>The variable message: at most 10,000 characters (default empty).</summary>
    public string? Message { get; set; }

    /// <summary>The variable campaign.name: at most 200 characters (default: the template's name).</summary>
    public string? CampaignName { get; set; }
}

/// <summary><c>POST /templates/{id}/preview</c>: the template's id from the route, the values of its variables from the body.</summary>
public sealed class PreviewTemplateRequest : PreviewValues
{
    /// <summary>The template's id (an integer).</summary>
    // From the route only: an "id" in the body is not read.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public long Id { get; set; }
}

/// <summary>An address with an optional display name.</summary>
public class PreviewPerson
{
    /// <summary>A bare email address, e.g. ann@example.com (at most 254 characters).</summary>
    public string? Email { get; set; }

    /// <summary>The display name: at most 200 characters without control characters (default empty).</summary>
    public string? Name { get; set; }

    public EmailPerson ToEmailPerson() => new(Email!, Name);
}

/// <summary>The recipient: an address, a name and the fields a campaign's recipient list gives each recipient.</summary>
public sealed class PreviewRecipient : PreviewPerson
{
    /// <summary>A JSON object of at most 64 KiB: recipient.fields.&lt;key&gt; (nested objects reachable); absent: no fields.</summary>
    public JsonElement? Fields { get; set; }
}

public sealed class PreviewPersonRules : AbstractValidator<PreviewPerson>
{
    public const int MaxNameLength = 200;

    public PreviewPersonRules()
    {
        RuleFor(p => p.Email).EmailAddress();
        RuleFor(p => p.Name)
            .MaximumLength(MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
    }
}

public sealed class PreviewRecipientRules : AbstractValidator<PreviewRecipient>
{
    public PreviewRecipientRules()
    {
        Include(new PreviewPersonRules());
        RuleFor(r => r.Fields)
            .Must(fields => fields is null or { ValueKind: JsonValueKind.Object }).WithMessage("'{PropertyName}' must be a JSON object.")
            .Must(fields => fields is null || Encoding.UTF8.GetByteCount(fields.Value.GetRawText()) <= PreviewValues.MaxFieldsBytes)
            .WithMessage($"'{{PropertyName}}' must be at most {PreviewValues.MaxFieldsBytes / 1024} KiB of JSON.")
            .Must(fields => fields is null || TextRules.HasOnlyValidUnicode(fields.Value))
            .WithMessage("'{PropertyName}' must not contain unpaired surrogate escapes such as \\ud800.");
    }
}

/// <summary>The rules of the values, shared by the previews of a stored template and of a draft.</summary>
public sealed class PreviewValuesRules : AbstractValidator<PreviewValues>
{
    public PreviewValuesRules()
    {
        RuleFor(p => p.Recipient).NotNull().SetValidator(new PreviewRecipientRules()!);
        RuleFor(p => p.Sender).NotNull().SetValidator(new PreviewPersonRules()!);
        RuleFor(p => p.Message)
            .MaximumLength(PreviewValues.MaxMessageLength)
            .Must(message => message is null || TextRules.IsStorable(message)).WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");
        RuleFor(p => p.CampaignName)
            .MaximumLength(EmailTemplateConfiguration.MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
    }
}

public sealed class PreviewTemplateValidator : Validator<PreviewTemplateRequest>
{
    public PreviewTemplateValidator() => Include(new PreviewValuesRules());
}

/// <summary>The email the template makes of the values, without tracking.</summary>
/// <param name="Subject">The subject, one line.</param>
/// <param name="Html">The HTML part, values HTML-escaped, links as written.</param>
/// <param name="Text">The text part: the template's, or derived from the HTML.</param>
public sealed record TemplatePreviewResponse(string Subject, string Html, string Text);

using System.Text.Json;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists.ImportSubscribers;

/// <summary>One subscriber of <c>POST /lists/{id}/subscribers</c>.</summary>
public sealed class SubscriberRequest
{
    /// <summary>
    /// The address, stored as given less surrounding whitespace and unique in the list case-insensitively: one RFC 5322
    /// addr-spec (local-part@domain) of at most 254 characters, such as ana@example.com or "ana maria"@example.com. The
    /// domain is a name (international ones in Unicode or punycode) or a literal such as [192.0.2.1]. Not accepted: a
    /// display name ("Ana &lt;ana@example.com&gt;"), angle brackets, comments, groups, several addresses, or none without a domain.
    /// </summary>
    public string Email { get; set; } = null!;

    /// <summary>A display name for the To header: at most 200 characters without control characters (default none).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// A JSON object templates read as recipient.fields.&lt;key&gt; (default {}): at most 64 KiB; its keys 1 to 100 ASCII
    /// letters, digits or underscores, not starting with a digit; its values any JSON, without \u0000 in text or a key
    /// given twice in one object, numbers below 7.9e28 in magnitude with at most 28 decimal places (an exponent from -28 to 28).
    /// </summary>
    public JsonElement? Fields { get; set; }
}

/// <summary>The rules of one row of an import; <see cref="ImportSubscribersValidator"/> runs them on every row.</summary>
public sealed class SubscriberRules : AbstractValidator<SubscriberRequest>
{
    public SubscriberRules()
    {
        RuleFor(s => s.Email).EmailAddress();

        RuleFor(s => s.Name)
            .MaximumLength(SubscriberConfiguration.MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");

        RuleFor(s => s.Fields).Custom((fields, context) =>
        {
            if (fields is { } given && SubscriberFields.ProblemOf(given) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }
}

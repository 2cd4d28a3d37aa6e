using System.Text.Json;
using Tasks.Shared;

namespace Tasks.EmailTemplates;

/// <summary>
/// What a template's variables are for one email: <c>recipient.email</c>, <c>recipient.name</c>,
/// <c>recipient.fields.&lt;key&gt;</c> (<see cref="Fields"/>, a JSON object; nested objects and arrays reachable),
/// <c>sender.email</c>, <c>sender.name</c>, <c>message</c>, <c>campaign.name</c> and <c>unsubscribe_url</c>.
/// </summary>
public sealed record EmailVariables(
    EmailPerson Recipient,
    JsonElement? Fields,
    EmailPerson Sender,
    string Message,
    string CampaignName,
    string UnsubscribeUrl);

/// <summary>A rendered email: a one-line subject and both parts.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Tracking for one email: its links go through <c>{PublicBaseUrl}/t/c/{token}</c>, and an open pixel
/// <c>{PublicBaseUrl}/t/o/{token}.gif</c> ends its body.
/// </summary>
public sealed record EmailTracking(string PublicBaseUrl, long MessageId, TrackingTokens Tokens);

/// <summary>A compiled template that failed for one email's values: it ran too long or produced too much.</summary>
public sealed class TemplateRenderException(string part, string message, Exception inner)
    : Exception($"The {part} part could not be rendered: {message}", inner)
{
    /// <summary>"subject", "html" or "text".</summary>
    public string Part { get; } = part;
}

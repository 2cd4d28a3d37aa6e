using System.Globalization;
using System.Net;
using TasksConsole.Api;

namespace TasksConsole.Components.NotificationViews;

/// <summary>
/// What the send form holds, as typed, and the <c>POST /notifications</c> request it makes: TaskApi validates the request
/// (its problems are shown at the fields they name); the form only turns its text into the request's shape.
/// </summary>
public sealed class NotificationDraft
{
    /// <summary>The channels as the API names them, in the order the form offers them.</summary>
    public static readonly IReadOnlyList<(string Name, string Label)> Channels = [("email", "Email"), ("sms", "SMS"), ("inApp", "In-app")];

    /// <summary>The format of an <c>&lt;input type="datetime-local"&gt;</c>'s value, with or without seconds.</summary>
    private static readonly string[] LocalTimeFormats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFF"];

    private static readonly char[] UserIdSeparators = [',', ';', ' ', '\t', '\r', '\n'];

    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);

    /// <summary>The users' ids, separated by commas, semicolons, spaces or lines.</summary>
    public string UserIds { get; set; } = "";

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    /// <summary>An email template whose subject and HTML are the title and HTML: the title typed is then not sent.</summary>
    public long? TemplateId { get; set; }

    public bool Express { get; set; }

    /// <summary>The send time as the browser's date-time field gives it (read as UTC); empty: at once.</summary>
    public string SendAt { get; set; } = "";

    public bool HasChannel(string channel) => _channels.Contains(channel);

    public void SetChannel(string channel, bool on)
    {
        if (on)
        {
            _channels.Add(channel);
        }
        else
        {
            _channels.Remove(channel);
        }
    }

    /// <summary>
    /// The request, or the problem that keeps the form from making one (a send time it cannot read), named at its field
    /// as TaskApi would name it.
    /// </summary>
    public (CreateNotificationRequest? Request, ApiProblemException? Problem) ToRequest()
    {
        DateTimeOffset? sendAt = null;
        if (!string.IsNullOrWhiteSpace(SendAt))
        {
            if (!DateTime.TryParseExact(SendAt.Trim(), LocalTimeFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc))
            {
                return (null, new ApiProblemException(HttpStatusCode.BadRequest, "The form has an error.", null,
                    new Dictionary<string, string[]> { ["sendAt"] = ["'sendAt' must be a date and time such as 2026-12-31T09:30."] }));
            }
            sendAt = new DateTimeOffset(utc, TimeSpan.Zero);
        }
        var request = new CreateNotificationRequest
        {
            // Each id once, in the order typed: a pasted list often repeats some, which TaskApi would refuse one by one.
            UserIds = UserIds.Split(UserIdSeparators, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList(),
            Channels = Channels.Select(channel => channel.Name).Where(_channels.Contains).ToList(),
            Title = TemplateId is null ? NullIfBlank(Title) : null,
            Text = Text,
            TemplateId = TemplateId,
            Express = Express,
            SendAt = sendAt,
        };
        return (request, null);
    }

    private static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

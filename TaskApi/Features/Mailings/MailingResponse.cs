using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>A mailing as the API shows it.</summary>
/// <param name="Id">The mailing's id.</param>
/// <param name="Text">The SMS text.</param>
/// <param name="StartAt">Messages go out from this instant.</param>
/// <param name="EndAt">No message goes out at or after this instant; unsent ones then expire.</param>
/// <param name="Filter">Which clients it is for.</param>
/// <param name="SendWindow">The local time of day messages may go out, or null for any time.</param>
/// <param name="Status">scheduled, running, finished or cancelled.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id; null for mailings older than that record.</param>
/// <param name="StartedAt">When its messages were created.</param>
/// <param name="FinishedAt">When it finished or was cancelled.</param>
/// <param name="Messages">Its messages by status.</param>
public sealed record MailingResponse(
    long Id,
    string Text,
    DateTimeOffset StartAt,
    DateTimeOffset EndAt,
    MailingFilterResponse Filter,
    SendWindowResponse? SendWindow,
    string Status,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    MessageCountsResponse Messages)
{
    public static MailingResponse From(Mailing mailing) => new(
        mailing.Id,
        mailing.Text,
        mailing.StartAt,
        mailing.EndAt,
        new MailingFilterResponse(mailing.OperatorCodes, mailing.Tags),
        mailing.SendWindow is { } window ? SendWindowResponse.Of(window) : null,
        StatusNames<MailingStatus>.Of(mailing.Status),
        mailing.CreatedAt,
        mailing.CreatedBy,
        mailing.StartedAt,
        mailing.FinishedAt,
        MessageCountsResponse.From(mailing.Counts));
}

/// <param name="OperatorCodes">Clients with one of these operator codes; empty: any.</param>
/// <param name="Tags">Clients with one of these tags; empty: any.</param>
public sealed record MailingFilterResponse(IReadOnlyList<string> OperatorCodes, IReadOnlyList<string> Tags);

/// <param name="From">Opens at this local time (HH:mm).</param>
/// <param name="To">Closes at this local time (HH:mm); earlier than From: the next day.</param>
public sealed record SendWindowResponse(string From, string To)
{
    public const string Format = "HH:mm";

    public static SendWindowResponse Of(SendWindow window) =>
        new(window.From.ToString(Format, System.Globalization.CultureInfo.InvariantCulture), window.To.ToString(Format, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Messages by status; exact (kept in the same transactions that change the messages).</summary>
public sealed record MessageCountsResponse(int Total, int Pending, int Sent, int Failed, int Expired, int Cancelled)
{
    public static MessageCountsResponse From(MessageCounts counts) => new(
        counts.Pending + counts.Sent + counts.Failed + counts.Expired + counts.Cancelled,
        counts.Pending, counts.Sent, counts.Failed, counts.Expired, counts.Cancelled);
}

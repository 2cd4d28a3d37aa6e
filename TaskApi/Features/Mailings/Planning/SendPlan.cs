using Tasks.Shared;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// When a pending message goes out next, at or after <c>earliest</c>: at once or at its send window's next opening,
/// or never, when that comes at or after the mailing's end (then it expires).
/// </summary>
public sealed record SendPlan(bool Expires, DateTimeOffset? DueAt, DateTimeOffset? WindowClosesAt)
{
    public static SendPlan For(Mailing mailing, string timeZone, DateTimeOffset earliest, DateTimeOffset now)
    {
        var at = earliest;
        DateTimeOffset? closes = null;
        if (mailing.SendWindow is { } window)
        {
            var zone = SendWindowClock.Zone(timeZone);
            at = SendWindowClock.NextOpening(window, zone, earliest);
            closes = SendWindowClock.OpenUntil(window, zone, at);
        }
        return at >= mailing.EndAt
            ? new SendPlan(Expires: true, null, null)
            : new SendPlan(Expires: false, at > now ? at : null, closes);
    }

    /// <summary>The send record of this plan (it must not expire) for dispatch <paramref name="dispatch"/> of the message.</summary>
    public SmsSendItem Item(Mailing mailing, long messageId, long clientId, string phone, int dispatch) =>
        new(messageId, mailing.Id, clientId, phone, mailing.Text, dispatch, mailing.EndAt, WindowClosesAt);
}

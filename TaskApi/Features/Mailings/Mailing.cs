namespace TaskApi.Features.Mailings;

/// <summary>
/// An SMS text sent to every client matching <see cref="OperatorCodes"/> and <see cref="Tags"/> between
/// <see cref="StartAt"/> and <see cref="EndAt"/>, each message inside the client's local <see cref="SendWindow"/>.
/// </summary>
public sealed class Mailing
{
    public long Id { get; init; }
    public required string Text { get; set; }
    public DateTimeOffset StartAt { get; set; }
    public DateTimeOffset EndAt { get; set; }

    /// <summary>Clients whose operator code is one of these; empty: any operator.</summary>
    public string[] OperatorCodes { get; set; } = [];

    /// <summary>Clients whose tag is one of these; empty: any tag.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>The local time of day (in each client's time zone) messages may go out; null: any time.</summary>
    public SendWindow? SendWindow { get; set; }

    public MailingStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When its messages were created (the mailing became running).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it became finished or cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// Counts each change of <see cref="StartAt"/> or <see cref="EndAt"/>, so the Scheduler's entries for earlier times are
    /// told apart from the current ones (their schedule ids carry it) and ignored when they come due.
    /// </summary>
    public int TimesVersion { get; set; } = 1;

    /// <summary>When its first and its latest message went out (kept with the counts).</summary>
    public DateTimeOffset? FirstSentAt { get; set; }
    public DateTimeOffset? LastSentAt { get; set; }

    /// <summary>Its messages by status, kept in the same transactions that change them, so statistics are exact and cheap.</summary>
    public MessageCounts Counts { get; set; } = new();

    public void RecordSent(DateTimeOffset sentAt)
    {
        FirstSentAt = FirstSentAt is { } first && first <= sentAt ? first : sentAt;
        LastSentAt = LastSentAt is { } last && last >= sentAt ? last : sentAt;
    }

    /// <summary>A running mailing whose messages are all final is finished.</summary>
    public void FinishIfDone(DateTimeOffset now)
    {
        if (Status == MailingStatus.Running && Counts.Pending == 0)
        {
            Status = MailingStatus.Finished;
            FinishedAt = now;
        }
    }
}

/// <summary>Local times of day; <see cref="From"/> after <see cref="To"/> spans midnight (21:00–06:00).</summary>
public sealed record SendWindow(TimeOnly From, TimeOnly To);

public enum MailingStatus
{
    Scheduled,
    Running,
    Finished,
    Cancelled,
}

/// <summary>A mailing's messages by status.</summary>
public sealed class MessageCounts
{
    /// <summary>Moves <paramref name="count"/> messages from pending to <paramref name="status"/>.</summary>
    public void Settle(MessageStatus status, int count)
    {
        Pending -= count;
        Add(status, count);
    }

    public void Add(MessageStatus status, int count)
    {
        switch (status)
        {
            case MessageStatus.Pending: Pending += count; break;
            case MessageStatus.Sent: Sent += count; break;
            case MessageStatus.Failed: Failed += count; break;
            case MessageStatus.Expired: Expired += count; break;
            case MessageStatus.Cancelled: Cancelled += count; break;
        }
    }

    public int Pending { get; set; }
    public int Sent { get; set; }
    public int Failed { get; set; }
    public int Expired { get; set; }
    public int Cancelled { get; set; }
}

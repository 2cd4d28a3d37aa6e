namespace TaskApi.Features.Mailings;

/// <summary>
/// One mailing's text to one client. Its <see cref="Id"/> is what the sending API receives with every attempt, so a
/// provider that deduplicates by id never sends it twice.
/// </summary>
public sealed class SmsMessage
{
    public long Id { get; init; }
    public long MailingId { get; init; }

    /// <summary>The client it was made for; no foreign key, so deleting a client keeps its messages in the statistics.</summary>
    public long ClientId { get; init; }

    /// <summary>The client's phone and time zone when the mailing started.</summary>
    public required string Phone { get; init; }
    public required string TimeZone { get; init; }

    public MessageStatus Status { get; set; }

    /// <summary>Attempts handed to the sending API so far.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// The number of the send record now on its way (from 1): a retry or a wait for the send window makes a new one, and
    /// a report about an earlier one changes nothing.
    /// </summary>
    public int Dispatch { get; set; } = 1;

    /// <summary>While it waits for its send window or a retry: when it is due; null while it is queued to send now.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The last failed attempt's reason (the gateway's answer, a timeout...).</summary>
    public string? LastError { get; set; }
}

public enum MessageStatus
{
    Pending,
    Sent,
    Failed,
    Expired,
    Cancelled,
}

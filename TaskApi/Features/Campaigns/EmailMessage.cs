namespace TaskApi.Features.Campaigns;

/// <summary>
/// One email to one address: a campaign's (with the recipient's name and fields as they were when sending began), or
/// one of our own (the daily report: no campaign, its finished <see cref="Content"/> kept for retries).
/// </summary>
public sealed class EmailMessage
{
    public long Id { get; init; }
    public long? CampaignId { get; init; }

    /// <summary>The day a daily report is about, for a report's email.</summary>
    public DateOnly? ReportDate { get; init; }

    public required string Email { get; init; }
    public string? Name { get; init; }

    /// <summary>The subscriber's fields (a JSON object) for the template's <c>recipient.fields</c>.</summary>
    public string? Fields { get; init; }

    /// <summary>A report's email as JSON (an EmailContent), sent as it is.</summary>
    public string? Content { get; init; }

    public EmailStatus Status { get; set; }

    /// <summary>Attempts handed to the SMTP server so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The number of the send record now on its way (from 1); a report about an earlier one changes nothing.</summary>
    public int Dispatch { get; set; } = 1;

    /// <summary>While it waits for a retry: when it goes out next.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? LastError { get; set; }

    public DateTimeOffset? FirstOpenedAt { get; set; }
    public int Opens { get; set; }
    public DateTimeOffset? FirstClickedAt { get; set; }
    public int Clicks { get; set; }
    public DateTimeOffset? UnsubscribedAt { get; set; }
}

public enum EmailStatus
{
    Pending,
    Sent,
    Failed,
    Cancelled,
}

namespace TaskApi.Features.Campaigns;

/// <summary>
/// An email from a template sent to the subscribed addresses of <see cref="ListIds"/> (each address once) at
/// <see cref="SendAt"/>. When sending begins, the template is read once and its parts travel with the campaign to the
/// workers, so editing the template later does not change a campaign that is sending.
/// </summary>
public sealed class Campaign
{
    public long Id { get; init; }
    public required string Name { get; set; }
    public long TemplateId { get; init; }
    public long[] ListIds { get; init; } = [];
    public required string FromEmail { get; init; }
    public string? FromName { get; init; }

    /// <summary>The template's <c>message</c> variable.</summary>
    public required string Message { get; init; }

    /// <summary>Replaces the template's subject when set.</summary>
    public string? Subject { get; init; }

    public DateTimeOffset SendAt { get; init; }
    public CampaignStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When its messages were made (it began sending).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it was sent (nothing pending) or cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Its messages by status, kept in the transactions that change them.</summary>
    public EmailCounts Counts { get; set; } = new();

    /// <summary>A sending campaign with nothing pending is sent.</summary>
    public void FinishIfDone(DateTimeOffset now)
    {
        if (Status == CampaignStatus.Sending && Counts.Pending == 0)
        {
            Status = CampaignStatus.Sent;
            FinishedAt = now;
        }
    }
}

public enum CampaignStatus
{
    Scheduled,
    Sending,
    Sent,
    Cancelled,
}

/// <summary>A campaign's messages by status.</summary>
public sealed class EmailCounts
{
    public void Add(EmailStatus status, int count)
    {
        switch (status)
        {
            case EmailStatus.Pending: Pending += count; break;
            case EmailStatus.Sent: Sent += count; break;
            case EmailStatus.Failed: Failed += count; break;
            case EmailStatus.Cancelled: Cancelled += count; break;
        }
    }

    public int Pending { get; set; }
    public int Sent { get; set; }
    public int Failed { get; set; }
    public int Cancelled { get; set; }

    public int Total => Pending + Sent + Failed + Cancelled;
}

using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Campaigns;

/// <summary>The outbox records that move a campaign and its emails: its send time, its content and cancellation, each send.</summary>
public static class CampaignRecords
{
    public static string DueScheduleId(long campaignId) => $"campaign-{campaignId}-send";

    /// <summary>One schedule per send record of an email.</summary>
    public static string SendScheduleId(long messageId, int dispatch) => $"email-{messageId}-dispatch-{dispatch}";

    /// <summary>The campaign's send time: now when it has come, else through the Scheduler.</summary>
    public static OutboxMessage Due(Campaign campaign, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.DeliverAt(KafkaTopics.CampaignsDue, MessageKeys.For(campaign.Id), MessageJson.Serialize(new CampaignDue(campaign.Id)),
            campaign.SendAt > now ? campaign.SendAt : null, DueScheduleId(campaign.Id), traceParent, now);

    public static OutboxMessage CancelDue(Campaign campaign, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.CancelSchedule(DueScheduleId(campaign.Id), traceParent, now);

    /// <summary>What the workers need to send the campaign's emails: its content as of now, and whether it was cancelled.</summary>
    public static OutboxMessage Changed(CampaignChanged change, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.Publish(KafkaTopics.CampaignsChanges, MessageKeys.For(change.CampaignId), MessageJson.Serialize(change), traceParent, now);

    /// <summary>A send record, now or (waiting for a retry) at <paramref name="dueAt"/>.</summary>
    public static OutboxMessage Send(EmailSendItem item, DateTimeOffset? dueAt, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.DeliverAt(KafkaTopics.EmailsSend, MessageKeys.For(item.MessageId), MessageJson.Serialize(item), dueAt,
            SendScheduleId(item.MessageId, item.Dispatch), traceParent, now);
}

using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Mailings;

/// <summary>The outbox records that move a mailing and its messages: its start and end times, its changes, each send.</summary>
public static class MailingRecords
{
    /// <summary>One schedule per moment and version of the mailing's times: a changed time is a new schedule, the old one is cancelled.</summary>
    public static string DueScheduleId(long mailingId, MailingMoment moment, int timesVersion) =>
        $"mailing-{mailingId}-{(moment == MailingMoment.Start ? "start" : "end")}-v{timesVersion}";

    /// <summary>One schedule per send record of a message.</summary>
    public static string SendScheduleId(long messageId, int dispatch) => $"sms-{messageId}-dispatch-{dispatch}";

    /// <summary>The start (now when its time has come) or the end of the mailing, through the Scheduler.</summary>
    public static OutboxMessage Due(Mailing mailing, MailingMoment moment, string? traceParent, DateTimeOffset now)
    {
        var at = moment == MailingMoment.Start ? mailing.StartAt : mailing.EndAt;
        var value = MessageJson.Serialize(new MailingDue(mailing.Id, moment, mailing.TimesVersion));
        return OutboxRecords.DeliverAt(KafkaTopics.MailingsDue, MessageKeys.For(mailing.Id), value, at > now ? at : null,
            DueScheduleId(mailing.Id, moment, mailing.TimesVersion), traceParent, now);
    }

    public static OutboxMessage CancelDue(Mailing mailing, MailingMoment moment, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.CancelSchedule(DueScheduleId(mailing.Id, moment, mailing.TimesVersion), traceParent, now);

    /// <summary>What the workers must know of the mailing: its end, and whether it was cancelled.</summary>
    public static OutboxMessage Changed(Mailing mailing, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.Publish(KafkaTopics.MailingsChanges, MessageKeys.For(mailing.Id),
            MessageJson.Serialize(new MailingChanged(mailing.Id, mailing.EndAt, mailing.Status == MailingStatus.Cancelled)), traceParent, now);

    /// <summary>A send record, now or (waiting for the send window or a retry) at <paramref name="dueAt"/>.</summary>
    public static OutboxMessage Send(SmsSendItem item, DateTimeOffset? dueAt, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.DeliverAt(KafkaTopics.MessagesSend, MessageKeys.For(item.MessageId), MessageJson.Serialize(item), dueAt,
            SendScheduleId(item.MessageId, item.Dispatch), traceParent, now);
}

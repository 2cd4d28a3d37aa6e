using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using TaskWorker.Delivery;
using TaskWorker.Email;
using TaskWorker.Messaging;
using TaskWorker.Sms;

namespace TaskWorker.Notifications;

/// <summary>
/// Hands one notification delivery (<see cref="NotificationSendItem"/>) to the SMS provider or the SMTP server with one
/// attempt at most, and reports what became of it on notifications.status (TaskApi decides retries). In order: a
/// delivery already handed over (its sent marker) is reported sent again without a call; a cancelled notification's
/// delivery is dropped unreported (TaskApi settled it); a notification whose content is not read yet is waited for
/// (<see cref="NotificationOptions.ContentWait"/>), then reported for a retry; a delivery that cannot be built (an address
/// the channel cannot take) is reported failed; otherwise, once the provider's rate limit permits (express first) and
/// the delivery's <see cref="SendLeases">lease</see> is held, it is handed over through its <see cref="NotificationLane"/>.
/// A record that cannot be read goes to its topic's dead-letter topic.
/// </summary>
internal sealed partial class NotificationSendHandler(
    NotificationLane lane,
    KnownNotifications notifications,
    IOptions<NotificationOptions> options,
    [FromKeyedServices(DeliveryChannels.Notification)] SentMarkers sentMarkers,
    [FromKeyedServices(DeliveryChannels.Notification)] SendLeases sendLeases,
    [FromKeyedServices(DeliveryChannels.Sms)] SharedRateLimiter smsRateLimit,
    [FromKeyedServices(DeliveryChannels.Email)] SharedRateLimiter emailRateLimit,
    NotificationReports reports,
    DeadLetters deadLetters,
    ILogger<NotificationSendHandler> logger) : IRecordHandler
{
    public async Task HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
    {
        if (await deadLetters.ReadOrDeadLetterAsync<NotificationSendItem>(lane.DeadLetterTopic, record, TryRead, cancellationToken) is not { } item)
        {
            return;
        }
        Activity.Current?
            .SetTag("notification.id", item.NotificationId)
            .SetTag("notification.delivery_id", item.DeliveryId)
            .SetTag("notification.channel", NotificationMetrics.NameOf(item.Channel))
            .SetTag("notification.express", lane.Express);

        // A cancellation made before this worker started is known before anything is sent.
        await notifications.CaughtUp.WaitAsync(cancellationToken);
        if (await SettledWithoutSendingAsync(item, cancellationToken))
        {
            return;
        }
        if (notifications.Find(item.NotificationId) is null)
        {
            LogWaitingForContent(item.NotificationId, item.DeliveryId, options.Value.ContentWait);
        }
        var content = await notifications.WaitForAsync(item.NotificationId, options.Value.ContentWait, cancellationToken);
        if (content is null)
        {
            await ReportAsync(item, new Attempt(NotificationOutcome.Retry, $"Notification {item.NotificationId}'s content is not known yet."), called: false, cancellationToken);
            return;
        }
        if (content.Cancelled)
        {
            reports.Dropped(item, lane.Express);
            return;
        }
        if (!TryPrepare(item, content, out var handOver, out var unbuildable))
        {
            await ReportAsync(item, new Attempt(NotificationOutcome.Failed, unbuildable), called: false, cancellationToken);
            return;
        }

        var rateLimiter = item.Channel == NotificationSendChannel.Sms ? smsRateLimit : emailRateLimit;
        if (rateLimiter.IsLimiting)
        {
            await rateLimiter.WaitForPermitAsync(lane.Express, cancellationToken);
            // The wait may have been long: the notification may have been cancelled, a copy been sent.
            if (await SettledWithoutSendingAsync(item, cancellationToken))
            {
                return;
            }
        }
        var handover = await handOver(cancellationToken);
        if (handover.AlreadySent)
        {
            await ReportAsync(item, new Attempt(NotificationOutcome.Sent), called: false, cancellationToken);
            return;
        }
        if (handover.Answer is not { } answer)
        {
            reports.Dropped(item, lane.Express);
            return;
        }
        if (lane.Express)
        {
            reports.ExpressHandedOver(item, answer.Outcome);
        }
        await ReportAsync(item, answer, called: true, cancellationToken);
    }

    /// <summary>True when the record was settled without sending: handed over already, or its notification cancelled.</summary>
    private async Task<bool> SettledWithoutSendingAsync(NotificationSendItem item, CancellationToken cancellationToken)
    {
        // First: a delivery that went out stays sent, whatever its notification did since.
        if (await sentMarkers.IsSentAsync(item.DeliveryId, cancellationToken))
        {
            await ReportAsync(item, new Attempt(NotificationOutcome.Sent), called: false, cancellationToken);
            return true;
        }
        if (notifications.Find(item.NotificationId) is { Cancelled: true })
        {
            reports.Dropped(item, lane.Express);
            return true;
        }
        return false;
    }

    /// <summary>
    /// The delivery's hand-over through its lane, under its lease: a null answer when an email's notification was cancelled
    /// while it waited for a session. False, with the reason, when the content or the address cannot make one.
    /// </summary>
    private bool TryPrepare(
        NotificationSendItem item,
        NotificationChanged content,
        [NotNullWhen(true)] out Func<CancellationToken, Task<Handover<Attempt?>>>? handOver,
        [NotNullWhen(false)] out string? reason)
    {
        handOver = null;
        if (string.IsNullOrEmpty(content.Text))
        {
            reason = $"Notification {item.NotificationId}'s record on {KafkaTopics.NotificationsChanges} has no text.";
            return false;
        }
        if (item.Channel == NotificationSendChannel.Sms)
        {
            if (!SmsPhones.TryParse(item.Address, out var phone))
            {
                reason = $"The phone '{LogText.Escaped(item.Address)}' is not {SmsPhones.Rule}.";
                return false;
            }
            handOver = async token => AttemptOf(await lane.Sms.CallOnceAsync(sendLeases, item.DeliveryId, phone, content.Text, token));
            reason = null;
            return true;
        }

        if (content is { From: null } or { From.Email: null or "" } or { Subject: null or "" })
        {
            reason = $"Notification {item.NotificationId}'s record on {KafkaTopics.NotificationsChanges} has no from.email or no subject.";
            return false;
        }
        if (!EmailComposer.TryMailbox(content.From, out var sender, out reason)
            || !EmailComposer.TryMailbox(new EmailPerson(item.Address, item.Name), out var recipient, out reason))
        {
            return false;
        }
        var message = EmailComposer.Compose(
            sender, recipient, $"n.{item.NotificationId}.{item.DeliveryId}", new EmailParts(content.Subject, content.Html, content.Text), unsubscribeUrl: null);
        handOver = async token => AttemptOf(await sendLeases.SendOnceAsync(
            item.DeliveryId,
            // The wait for a session may have been long: a notification cancelled meanwhile sends nothing more. The pool
            // cancels only that wait, never an attempt begun (Smtp:Timeout bounds it).
            () => lane.Smtp.SendAsync(message, () => notifications.Find(item.NotificationId) is not { Cancelled: true }, token),
            answer => answer?.Outcome == EmailOutcome.Sent,
            token));
        return true;
    }

    private static Handover<Attempt?> AttemptOf(Handover<GatewayAnswer> handover) =>
        new(handover.AlreadySent, handover.AlreadySent ? null : new Attempt(OutcomeOf(handover.Answer.Outcome), handover.Answer.Error, handover.Answer.RetryNotBefore));

    private static Handover<Attempt?> AttemptOf(Handover<SmtpAnswer?> handover) =>
        new(handover.AlreadySent, handover.Answer is { } answer ? new Attempt(OutcomeOf(answer.Outcome), answer.Error) : null);

    private static NotificationOutcome OutcomeOf(SmsOutcome outcome) => outcome switch
    {
        SmsOutcome.Sent => NotificationOutcome.Sent,
        SmsOutcome.Failed => NotificationOutcome.Failed,
        SmsOutcome.Retry => NotificationOutcome.Retry,
        _ => throw new UnreachableException($"The SMS provider's answer is never {outcome}."),
    };

    private static NotificationOutcome OutcomeOf(EmailOutcome outcome) => outcome switch
    {
        EmailOutcome.Sent => NotificationOutcome.Sent,
        EmailOutcome.Failed => NotificationOutcome.Failed,
        EmailOutcome.Retry => NotificationOutcome.Retry,
        _ => throw new UnreachableException($"The SMTP server's answer is never {outcome}."),
    };

    private Task ReportAsync(NotificationSendItem item, Attempt attempt, bool called, CancellationToken cancellationToken) =>
        reports.ReportAsync(item, lane.Express, attempt.Outcome, called, attempt.Error, attempt.RetryNotBefore, cancellationToken);

    private static bool TryRead(Message<byte[]?, byte[]> message, [NotNullWhen(true)] out NotificationSendItem? item, [NotNullWhen(false)] out string? rejection)
    {
        if (!SendRecords.TryRead(message, (NotificationSendItem read) => read.DeliveryId, out item, out rejection, idName: "deliveryId"))
        {
            return false;
        }
        rejection = item switch
        {
            { NotificationId: <= 0 } => "The send record has no notificationId.",
            { Dispatch: < 1 } => "The send record's dispatch must be 1 or more.",
            { Channel: var channel } when !Enum.IsDefined(channel) => $"The send record's channel {(int)channel} is neither email nor sms.",
            { Address: null or "" } => "The send record has no address.",
            { DueAt: var dueAt } when dueAt == default => "The send record has no dueAt.",
            _ => null,
        };
        return rejection is null;
    }

    /// <summary>What one hand-over came to, as the report says it.</summary>
    private sealed record Attempt(NotificationOutcome Outcome, string? Error = null, DateTimeOffset? RetryNotBefore = null);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information,
        Message = "Notification {NotificationId} delivery {DeliveryId}: its content is not read from notifications.changes yet; waiting up to {Wait}")]
    private partial void LogWaitingForContent(long notificationId, long deliveryId, TimeSpan wait);
}

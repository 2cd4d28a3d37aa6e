using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using Tasks.Shared;
using TaskWorker.Delivery;
using TaskWorker.Messaging;

namespace TaskWorker.Sms;

/// <summary>
/// Handles one messages.send record with exactly one attempt at most, and reports what became of it on messages.status
/// (TaskApi decides retries and windows). In order: a message the API already accepted is reported sent again without
/// a call; a cancelled mailing's message is dropped unreported (TaskApi cancelled it); past the mailing's end it is
/// expired, past the send window's close outside the window; otherwise, once the rate limit permits and the message's
/// <see cref="SendLeases">lease</see> is held (another attempt holding it is waited for), the API is called.
/// A record that cannot be read goes to messages.send.dlq.
/// </summary>
internal sealed partial class SmsSendHandler(
    KnownMailings mailings,
    [FromKeyedServices(DeliveryChannels.Sms)] SentMarkers sentMarkers,
    [FromKeyedServices(DeliveryChannels.Sms)] SendLeases sendLeases,
    [FromKeyedServices(DeliveryChannels.Sms)] SharedRateLimiter rateLimiter,
    SmsCalls calls,
    TracedPublisher publisher,
    DeadLetters deadLetters,
    SmsMetrics metrics,
    TimeProvider time,
    ILogger<SmsSendHandler> logger) : IRecordHandler
{
    public async Task HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
    {
        if (!TryRead(record.Message, out var item, out var phone, out var rejection))
        {
            await deadLetters.PublishAsync(KafkaTopics.MessagesSendDeadLetter, record, rejection, cancellationToken);
            return;
        }
        Activity.Current?.SetTag("sms.message_id", item.MessageId).SetTag("sms.mailing_id", item.MailingId);

        // Changes made before this worker started (a cancellation, a moved end) are known before anything is sent.
        await mailings.CaughtUp.WaitAsync(cancellationToken);
        if (await SettledWithoutCallingAsync(item, cancellationToken))
        {
            return;
        }
        if (rateLimiter.IsLimiting)
        {
            await rateLimiter.WaitForPermitAsync(express: false, cancellationToken);
            // The wait may have been long: the mailing may have changed, its end or the window passed, a copy been sent.
            if (await SettledWithoutCallingAsync(item, cancellationToken))
            {
                return;
            }
        }

        var handover = await calls.CallOnceAsync(sendLeases, item.MessageId, phone, item.Text, cancellationToken);
        if (handover.AlreadySent)
        {
            await ReportAsync(item, SmsOutcome.Sent, called: false, error: null, retryNotBefore: null, cancellationToken);
            return;
        }
        var answer = handover.Answer;
        await ReportAsync(item, answer.Outcome, called: true, answer.Error, answer.RetryNotBefore, cancellationToken);
    }

    /// <summary>True when the record was settled without a call: already sent, cancelled, expired or outside its window.</summary>
    private async Task<bool> SettledWithoutCallingAsync(SmsSendItem item, CancellationToken cancellationToken)
    {
        // First: a message that went out stays sent, whatever its mailing did since.
        if (await sentMarkers.IsSentAsync(item.MessageId, cancellationToken))
        {
            await ReportAsync(item, SmsOutcome.Sent, called: false, error: null, retryNotBefore: null, cancellationToken);
            return true;
        }
        var mailing = mailings.Find(item.MailingId);
        if (mailing is { Cancelled: true })
        {
            metrics.Handled(SmsMetrics.CancelledOutcome, called: false);
            LogOutcome(item.MailingId, item.ClientId, item.MessageId, item.Dispatch, SmsMetrics.CancelledOutcome, called: false, error: null);
            return true;
        }
        var now = time.GetUtcNow();
        if (now >= (mailing?.EndAt ?? item.ExpiresAt))
        {
            await ReportAsync(item, SmsOutcome.Expired, called: false, error: null, retryNotBefore: null, cancellationToken);
            return true;
        }
        if (item.WindowClosesAt is { } closesAt && now >= closesAt)
        {
            await ReportAsync(item, SmsOutcome.OutsideWindow, called: false, error: null, retryNotBefore: null, cancellationToken);
            return true;
        }
        return false;
    }

    private async Task ReportAsync(
        SmsSendItem item, SmsOutcome outcome, bool called, string? error, DateTimeOffset? retryNotBefore, CancellationToken cancellationToken)
    {
        var report = new SmsOutcomeReported(item.MessageId, item.MailingId, item.Dispatch, outcome, called, time.GetUtcNow(), error, retryNotBefore);
        await publisher.PublishAsync(KafkaTopics.MessagesStatus, MessageKeys.For(item.MessageId), MessageJson.Serialize(report), cancellationToken);
        metrics.Handled(outcome, called);
        LogOutcome(item.MailingId, item.ClientId, item.MessageId, item.Dispatch, SmsMetrics.NameOf(outcome), called, LogText.EscapedIfAny(error));
    }

    private static bool TryRead(
        Message<byte[]?, byte[]> message,
        [NotNullWhen(true)] out SmsSendItem? item,
        out long phone,
        [NotNullWhen(false)] out string? rejection)
    {
        phone = 0;
        if (!SendRecords.TryRead(message, (SmsSendItem read) => read.MessageId, out item, out rejection))
        {
            return false;
        }
        rejection = item switch
        {
            { MailingId: <= 0 } => "The send record has no mailingId.",
            { ClientId: <= 0 } => "The send record has no clientId.",
            { Dispatch: < 1 } => "The send record's dispatch must be 1 or more.",
            { Text: null or "" } => "The send record has no text.",
            { ExpiresAt: var expiresAt } when expiresAt == default => "The send record has no expiresAt.",
            { Phone: var digits } when !SmsPhones.TryParse(digits, out phone) => $"The phone '{digits}' is not {SmsPhones.Rule}.",
            _ => null,
        };
        return rejection is null;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Mailing {MailingId} client {ClientId} message {MessageId} dispatch {Dispatch}: {Outcome} (API called: {Called}) {Error}")]
    private partial void LogOutcome(long mailingId, long clientId, long messageId, int dispatch, string outcome, bool called, string? error);
}

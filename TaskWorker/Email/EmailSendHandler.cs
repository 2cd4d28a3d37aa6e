using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MimeKit;
using Tasks.EmailTemplates;
using Tasks.Shared;
using TaskWorker.Delivery;
using TaskWorker.Messaging;

namespace TaskWorker.Email;

/// <summary>
/// Handles one emails.send record with exactly one attempt at most, and reports what became of it on emails.status
/// (TaskApi decides retries). In order: a message the server already accepted is reported sent again without sending;
/// a cancelled campaign's email is dropped unreported (TaskApi cancelled it); a campaign not known yet is waited for
/// (<see cref="SmtpOptions.CampaignWait"/>), then reported for a retry; otherwise the email is built (a campaign's
/// rendered from its template, compiled once) and, once the rate limit permits and the message's
/// <see cref="SendLeases">lease</see> is held (another attempt holding it is waited for), handed to the server. A record that
/// cannot be read goes to emails.send.dlq, as does finished content TaskApi did not sign (<see cref="EmailContentSignatures"/>).
/// </summary>
internal sealed partial class EmailSendHandler(
    KnownCampaigns campaigns,
    CampaignTemplates templates,
    [FromKeyedServices(DeliveryChannels.Email)] SentMarkers sentMarkers,
    [FromKeyedServices(DeliveryChannels.Email)] SendLeases sendLeases,
    [FromKeyedServices(DeliveryChannels.Email)] SharedRateLimiter rateLimiter,
    SmtpConnectionPool smtp,
    TracedPublisher publisher,
    DeadLetters deadLetters,
    EmailContentSignatures contentSignatures,
    EmailMetrics metrics,
    IOptions<SmtpOptions> options,
    TimeProvider time,
    ILogger<EmailSendHandler> logger) : IRecordHandler
{
    public async Task HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
    {
        if (await deadLetters.ReadOrDeadLetterAsync<EmailSendItem>(KafkaTopics.EmailsSendDeadLetter, record, TryRead, cancellationToken) is not { } item)
        {
            return;
        }
        Activity.Current?.SetTag("email.message_id", item.MessageId).SetTag("email.campaign_id", item.CampaignId);

        if (item.CampaignId is not null)
        {
            // A cancellation made before this worker started is known before anything is sent.
            await campaigns.CaughtUp.WaitAsync(cancellationToken);
        }
        if (await SettledWithoutSendingAsync(item, cancellationToken))
        {
            return;
        }

        CampaignChanged? campaign = null;
        if (item.CampaignId is { } campaignId)
        {
            campaign = await campaigns.WaitForAsync(campaignId, options.Value.CampaignWait, cancellationToken);
            if (campaign is null)
            {
                await ReportAsync(item, EmailOutcome.Retry, called: false, $"Campaign {campaignId} is not known yet.", cancellationToken);
                return;
            }
            if (campaign.Cancelled)
            {
                LogDropped(item);
                return;
            }
        }

        if (!TryBuild(item, campaign, cancellationToken, out var message, out var unbuildable))
        {
            await ReportAsync(item, EmailOutcome.Failed, called: false, unbuildable, cancellationToken);
            return;
        }
        if (rateLimiter.IsLimiting)
        {
            await rateLimiter.WaitForPermitAsync(express: false, cancellationToken);
            // The wait may have been long: the campaign may have been cancelled, a copy been sent.
            if (await SettledWithoutSendingAsync(item, cancellationToken))
            {
                return;
            }
        }

        var handover = await sendLeases.SendOnceAsync(
            item.MessageId,
            // The wait for a session may have been long too: a campaign cancelled meanwhile sends nothing more. The pool
            // cancels only that wait, never an attempt begun (Smtp:Timeout bounds it).
            () => smtp.SendAsync(message, () => item.CampaignId is not { } id || campaigns.Find(id) is not { Cancelled: true }, cancellationToken),
            answer => answer?.Outcome == EmailOutcome.Sent,
            cancellationToken);
        if (handover.AlreadySent)
        {
            await ReportAsync(item, EmailOutcome.Sent, called: false, error: null, cancellationToken);
            return;
        }
        if (handover.Answer is not { } answer)
        {
            LogDropped(item);
            return;
        }
        await ReportAsync(item, answer.Outcome, called: true, answer.Error, cancellationToken);
    }

    /// <summary>True when the record was settled without sending: already sent, or its campaign cancelled.</summary>
    private async Task<bool> SettledWithoutSendingAsync(EmailSendItem item, CancellationToken cancellationToken)
    {
        // First: a message that went out stays sent, whatever its campaign did since.
        if (await sentMarkers.IsSentAsync(item.MessageId, cancellationToken))
        {
            await ReportAsync(item, EmailOutcome.Sent, called: false, error: null, cancellationToken);
            return true;
        }
        if (item.CampaignId is { } campaignId && campaigns.Find(campaignId) is { Cancelled: true })
        {
            LogDropped(item);
            return true;
        }
        return false;
    }

    private bool TryBuild(
        EmailSendItem item, CampaignChanged? campaign, CancellationToken cancellationToken,
        [NotNullWhen(true)] out MimeMessage? message, [NotNullWhen(false)] out string? reason)
    {
        message = null;
        if (campaign is not null && Unusable(campaign) is { } unusable)
        {
            reason = unusable;
            return false;
        }
        var from = campaign?.From ?? item.Content!.From;
        if (!EmailComposer.TryMailbox(from, out var sender, out reason) || !EmailComposer.TryMailbox(item.To, out var recipient, out reason))
        {
            return false;
        }
        if (campaign is null)
        {
            var content = item.Content!;
            message = EmailComposer.Compose(sender, recipient, $"r.{item.MessageId}", new EmailParts(content.Subject, content.Html, content.Text), unsubscribeUrl: null);
            return true;
        }
        // A stopping worker is not held by a render (up to RenderLimits.MaxRenderTime): the record is left for the next owner.
        if (!templates.TryRender(campaign, item, cancellationToken, out var parts, out var unsubscribeUrl, out reason))
        {
            return false;
        }
        message = EmailComposer.Compose(sender, recipient, $"{campaign.CampaignId}.{item.MessageId}", parts, unsubscribeUrl);
        return true;
    }

    /// <summary>
    /// Why a campaign's change cannot make an email (a record on campaigns.changes written by something other than
    /// TaskApi, or damaged), or null. Its emails are then reported failed with this reason, so the campaign counts them
    /// and its owner sees why, rather than each send throwing.
    /// </summary>
    private static string? Unusable(CampaignChanged campaign) => campaign switch
    {
        { From: null } or { From.Email: null or "" } => $"Campaign {campaign.CampaignId}'s record on {KafkaTopics.CampaignsChanges} has no from.email.",
        { Subject: null or "" } => $"Campaign {campaign.CampaignId}'s record on {KafkaTopics.CampaignsChanges} has no subject.",
        { Html: null } => $"Campaign {campaign.CampaignId}'s record on {KafkaTopics.CampaignsChanges} has no html.",
        _ => null,
    };

    private async Task ReportAsync(EmailSendItem item, EmailOutcome outcome, bool called, string? error, CancellationToken cancellationToken)
    {
        var report = new EmailOutcomeReported(item.MessageId, item.CampaignId, item.Dispatch, outcome, time.GetUtcNow(), error);
        await publisher.PublishAsync(KafkaTopics.EmailsStatus, MessageKeys.For(item.MessageId), MessageJson.Serialize(report), cancellationToken);
        metrics.Handled(outcome, called);
        LogOutcome(item.CampaignId, item.MessageId, item.Dispatch, EmailMetrics.NameOf(outcome), called, LogText.EscapedIfAny(error));
    }

    private void LogDropped(EmailSendItem item)
    {
        metrics.Handled(EmailMetrics.CancelledOutcome, called: false);
        LogOutcome(item.CampaignId, item.MessageId, item.Dispatch, EmailMetrics.CancelledOutcome, called: false, error: null);
    }

    private bool TryRead(Message<byte[]?, byte[]> message, [NotNullWhen(true)] out EmailSendItem? item, [NotNullWhen(false)] out string? rejection)
    {
        if (!SendRecords.TryRead(message, (EmailSendItem read) => read.MessageId, out item, out rejection))
        {
            return false;
        }
        rejection = item switch
        {
            { Dispatch: < 1 } => "The send record's dispatch must be 1 or more.",
            { To: null } or { To.Email: null or "" } => "The send record has no to.email.",
            { CampaignId: <= 0 } => "The send record's campaignId must be positive.",
            { CampaignId: not null, Content: not null } => "The send record has both a campaignId and a content; a campaign's email is rendered from its template.",
            { CampaignId: null, Content: null } => "The send record has neither a campaignId nor a content.",
            { Content: { From: null } or { From.Email: null or "" } } => "The send record's content has no from.email.",
            { Content: { Subject: null or "" } } => "The send record's content has no subject.",
            { Content: { Html: null } or { Text: null } } => "The send record's content needs both html and text.",
            { Content: { } content } when !contentSignatures.IsGenuine(content) =>
                "The send record's content is not signed by TaskApi (its signature is missing or does not match the content); only TaskApi sends finished emails.",
            { Fields: { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null } } => "The send record's fields must be a JSON object.",
            _ => null,
        };
        return rejection is null;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information,
        Message = "Campaign {CampaignId} message {MessageId} dispatch {Dispatch}: {Outcome} (server called: {Called}) {Error}")]
    private partial void LogOutcome(long? campaignId, long messageId, int dispatch, string outcome, bool called, string? error);
}

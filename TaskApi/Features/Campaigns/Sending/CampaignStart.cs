using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Campaigns.Sending;

/// <summary>
/// Begins sending a campaign: in one transaction, its content for the workers (the template's parts as they are now),
/// one email for every subscribed address of its lists (an address on several lists once, with the name and fields of
/// the first list naming it; written with COPY), each email's send record, and the campaign sending with its counts. A
/// crash rolls all of it back and the start is handled again; a campaign no longer scheduled is left alone, so a
/// repeated start creates nothing.
/// </summary>
public sealed class CampaignStart(TasksDbContext db, CampaignMetrics metrics)
{
    private const string RecipientsSql = """
        SELECT DISTINCT ON (normalized_email) email, name, fields::text FROM subscribers
        WHERE list_id = ANY(@lists) AND status = 'subscribed'
        ORDER BY normalized_email, array_position(@lists, list_id)
        """;

    private const string CopySql = """
        COPY email_messages (id, campaign_id, email, name, fields, status, attempts, dispatch, created_at, opens, clicks)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// Returns the number of emails made, or null when the campaign was not there to start. A campaign whose template is
    /// gone (deleted in the moment between its check and this start) is cancelled: there is nothing to send.
    /// </summary>
    public async Task<int?> StartAsync(long campaignId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var campaign = await CampaignEmails.LockAsync(db, campaignId, cancellationToken);
        if (campaign is not { Status: CampaignStatus.Scheduled })
        {
            return null;
        }
        if (await db.EmailTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == campaign.TemplateId, cancellationToken) is not { } template)
        {
            campaign.Status = CampaignStatus.Cancelled;
            campaign.FinishedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }
        db.OutboxMessages.Add(CampaignRecords.Changed(
            CampaignContent.Sending(campaign, template.Subject, template.Html, template.Text), Activity.Current?.Id, now));
        await db.SaveChangesAsync(cancellationToken);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var recipients = await RecipientsAsync(connection, campaign, cancellationToken);
        var ids = await SequenceIds.TakeAsync(connection, "email_messages_id_seq", recipients.Count, cancellationToken);
        await CopyEmailsAsync(connection, campaign, recipients, ids, now, cancellationToken);
        await OutboxCopy.WriteAsync(connection, SendRecords(campaign, recipients, ids, now), cancellationToken);

        campaign.Status = CampaignStatus.Sending;
        campaign.StartedAt = now;
        campaign.Counts.Add(EmailStatus.Pending, recipients.Count);
        campaign.FinishIfDone(now);
        await db.SaveChangesAsync(cancellationToken);
        metrics.Created(recipients.Count);
        return recipients.Count;
    }

    private static async Task<List<Recipient>> RecipientsAsync(NpgsqlConnection connection, Campaign campaign, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RecipientsSql, connection) { Parameters = { new("lists", campaign.ListIds) } };
        var recipients = new List<Recipient>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recipients.Add(new Recipient(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        }
        return recipients;
    }

    private static async Task CopyEmailsAsync(
        NpgsqlConnection connection, Campaign campaign, List<Recipient> recipients, long[] ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = StatusNames<EmailStatus>.Of(EmailStatus.Pending);
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        // Synchronous writes into the importer's buffer, as MailingStart does: awaiting every value cost more than the copy.
        for (var i = 0; i < recipients.Count; i++)
        {
            var recipient = recipients[i];
            importer.StartRow();
            importer.Write(ids[i], NpgsqlDbType.Bigint);
            importer.Write(campaign.Id, NpgsqlDbType.Bigint);
            importer.Write(recipient.Email, NpgsqlDbType.Varchar);
            if (recipient.Name is null)
            {
                importer.WriteNull();
            }
            else
            {
                importer.Write(recipient.Name, NpgsqlDbType.Varchar);
            }
            importer.Write(recipient.Fields, NpgsqlDbType.Jsonb);
            importer.Write(pending, NpgsqlDbType.Varchar);
            importer.Write(0, NpgsqlDbType.Integer);
            importer.Write(1, NpgsqlDbType.Integer);
            importer.Write(now, NpgsqlDbType.TimestampTz);
            importer.Write(0, NpgsqlDbType.Integer);
            importer.Write(0, NpgsqlDbType.Integer);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static IEnumerable<OutboxMessage> SendRecords(Campaign campaign, List<Recipient> recipients, long[] ids, DateTimeOffset now)
    {
        ActivityLink[] links = Activity.Current is { } start ? [new ActivityLink(start.Context)] : [];
        return recipients.Select((recipient, i) => CampaignRecords.Send(
            new EmailSendItem(ids[i], campaign.Id, Dispatch: 1, new EmailPerson(recipient.Email, recipient.Name), JsonSerializer.Deserialize<JsonElement>(recipient.Fields)),
            dueAt: null, EmailTrace.Begin(campaign.Id, ids[i], links), now));
    }

    private sealed record Recipient(string Email, string? Name, string Fields);
}

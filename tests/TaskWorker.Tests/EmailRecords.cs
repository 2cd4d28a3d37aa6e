using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MimeKit;
using Tasks.EmailTemplates;
using Tasks.Shared;

namespace TaskWorker.Tests;

/// <summary>Email send records and campaign changes as TaskApi produces them, and the outcome reports the worker answers with.</summary>
public static class EmailRecords
{
    public static readonly EmailPerson Sender = new("news@shop.example", "Shop News");

    /// <summary>A recipient of its own, so that what the stand-in received for it is the test's alone.</summary>
    public static EmailPerson NewRecipient() => new($"client{SmsRecords.NextId()}@mail.example", "Anna Petrova");

    public static CampaignChanged NewCampaign(string subject = "Hello {{ recipient.name }}", string html = "<p>{{ message }}</p>", string? text = null) =>
        new(SmsRecords.NextId(), "Spring sale", Sender, subject, html, text, "20 % off everything", Cancelled: false);

    public static EmailSendItem NewItem(CampaignChanged campaign, JsonElement? fields = null) =>
        new(SmsRecords.NextId(), campaign.CampaignId, Dispatch: 1, NewRecipient(), fields);

    /// <summary>One of our own emails (the daily report): finished content signed as TaskApi signs it, no campaign.</summary>
    public static EmailSendItem NewReport() =>
        new(SmsRecords.NextId(), CampaignId: null, Dispatch: 1, NewRecipient(),
            Content: new EmailContentSignatures(Encoding.UTF8.GetBytes(WorkerFactory.TrackingKey))
                .Sign(new EmailContent(new EmailPerson("reports@shop.example", null), "Daily report", "<h1>Report</h1>", "Report")));

    /// <summary>A finished MIME message to a recipient of its own, for what takes messages rather than records.</summary>
    public static MimeMessage NewMessage()
    {
        var message = new MimeMessage { Subject = "Hello", Body = new TextPart("plain") { Text = "Hello" } };
        message.From.Add(new MailboxAddress(Sender.Name, Sender.Email));
        message.To.Add(new MailboxAddress(null, NewRecipient().Email));
        return message;
    }

    public static Message<byte[]?, byte[]> Message(EmailSendItem item, Headers? headers = null) => new()
    {
        Key = MessageKeys.For(item.MessageId),
        Value = MessageJson.Serialize(item),
        Headers = headers ?? [],
    };

    public static Message<byte[]?, byte[]> Change(CampaignChanged change) => new()
    {
        Key = MessageKeys.For(change.CampaignId),
        Value = MessageJson.Serialize(change),
    };

    public static EmailOutcomeReported EmailReport(this ConsumeResult<byte[]?, byte[]> record) =>
        MessageJson.Deserialize<EmailOutcomeReported>(record.Message.Value);

    /// <summary>Waits for the <paramref name="count"/>th report of one email and returns it.</summary>
    public static async Task<EmailOutcomeReported> WaitForEmailReportAsync(this TopicReader reports, long messageId, int count = 1, TimeSpan? timeout = null) =>
        (await reports.WaitForAsync(record => record.IsFor(messageId), count, timeout))[^1].EmailReport();
}

using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Delivery;
using TaskWorker.Email;
using Tasks.EmailTemplates;

namespace TaskWorker.Tests.Email;

/// <summary>What the worker sends for an emails.send record, what it reports, and what it dead-letters.</summary>
public sealed class EmailSendHandlerTests(EmailWorkerFixture fixture) : IClassFixture<EmailWorkerFixture>, IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer = fixture.Kafka.CreateProducer();
    private readonly TopicReader _reports = new(fixture.Kafka, KafkaTopics.EmailsStatus);
    private readonly TopicReader _deadLetters = new(fixture.Kafka, KafkaTopics.EmailsSendDeadLetter);

    public static TheoryData<byte[]?, byte[], string> UnreadableRecords
    {
        get
        {
            var item = EmailRecords.NewReport();
            var key = MessageKeys.For(item.MessageId);
            return new()
            {
                { null, MessageJson.Serialize(item), "no key" },
                { key, [], "empty" },
                { key, "not json"u8.ToArray(), "not an EmailSendItem" },
                { MessageKeys.For(item.MessageId + 1), MessageJson.Serialize(item), $"not the messageId {item.MessageId}" },
                { key, MessageJson.Serialize(item with { Dispatch = 0 }), "dispatch must be 1 or more" },
                { key, MessageJson.Serialize(item with { To = new EmailPerson("", null) }), "no to.email" },
                { key, MessageJson.Serialize(item with { CampaignId = 7 }), "both a campaignId and a content" },
                { key, MessageJson.Serialize(item with { Content = null }), "neither a campaignId nor a content" },
                { key, MessageJson.Serialize(item with { Content = item.Content! with { Subject = "" } }), "content has no subject" },
                { key, MessageJson.Serialize(item with { CampaignId = 7, Content = null, Fields = JsonSerializer.SerializeToElement(new[] { 1 }) }), "fields must be a JSON object" },
            };
        }
    }

    [Fact]
    public async Task HandleAsync_CampaignEmail_SendsItRenderedAndTrackedAsMultipartAlternativeWithItsMessageIdAndUnsubscribeHeaders()
    {
        var campaign = EmailRecords.NewCampaign(
            subject: "{{ recipient.name }}, {{ campaign.name }}",
            html: """<p>{{ message }} in {{ recipient.fields.city }}: <a href="https://shop.example/sale">see</a> <a href="{{ unsubscribe_url }}">unsubscribe</a></p>""",
            text: "{{ message }} in {{ recipient.fields.city }}: https://shop.example/sale");
        await ChangeCampaignAsync(campaign);
        var item = EmailRecords.NewItem(campaign, JsonSerializer.SerializeToElement(new { city = "Kazan" }));

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(new EmailOutcomeReported(item.MessageId, campaign.CampaignId, 1, EmailOutcome.Sent, report.OccurredAt), report);
        var received = Assert.Single(await fixture.Smtp.WaitForAsync(item.To.Email));
        Assert.Equal(campaign.From.Email, received.EnvelopeFrom);
        Assert.Equal([item.To.Email], received.EnvelopeTo);
        var email = received.Message;
        Assert.Equal(new MailboxAddress(campaign.From.Name, campaign.From.Email), Assert.Single(email.From));
        Assert.Equal(new MailboxAddress(item.To.Name, item.To.Email), Assert.Single(email.To));
        Assert.Equal($"{campaign.CampaignId}.{item.MessageId}@shop.example", email.MessageId);
        Assert.Equal("Anna Petrova, Spring sale", email.Subject);
        var alternative = Assert.IsType<MultipartAlternative>(email.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Equal("20 % off everything in Kazan: https://shop.example/sale", email.TextBody?.TrimEnd());
        var html = Assert.IsType<string>(email.HtmlBody);
        Assert.Contains("20 % off everything in Kazan", html);
        // The link goes through the click endpoint, the pixel ends the body, the unsubscribe link is left as it is.
        Assert.DoesNotContain("href=\"https://shop.example/sale\"", html);
        Assert.Contains($"href=\"{WorkerFactory.TrackingBaseUrl}/t/c/", html);
        Assert.Contains($"src=\"{WorkerFactory.TrackingBaseUrl}/t/o/", html);
        var unsubscribe = Assert.IsType<string>(email.Headers["List-Unsubscribe"]);
        Assert.Matches($"^<{Regex.Escape(WorkerFactory.TrackingBaseUrl)}/u/[A-Za-z0-9_.-]+>$", unsubscribe);
        Assert.Contains($"href=\"{unsubscribe[1..^1]}\"", html);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public async Task HandleAsync_Report_SendsTheContentAsGivenWithoutUnsubscribeHeaders()
    {
        var item = EmailRecords.NewReport();

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(item.MessageId)).Outcome);
        var email = Assert.Single(await fixture.Smtp.WaitForAsync(item.To.Email)).Message;
        Assert.Equal("reports@shop.example", Assert.Single(email.From.Mailboxes).Address);
        Assert.Equal($"r.{item.MessageId}@shop.example", email.MessageId);
        Assert.Equal(item.Content!.Subject, email.Subject);
        Assert.Equal(item.Content.Html, email.HtmlBody?.TrimEnd());
        Assert.Equal(item.Content.Text, email.TextBody?.TrimEnd());
        Assert.False(email.Headers.Contains("List-Unsubscribe"));
        Assert.False(email.Headers.Contains("List-Unsubscribe-Post"));
    }

    [Theory]
    [InlineData(SmtpStage.RcptTo, 451, "greylisted, try again later")]
    [InlineData(SmtpStage.RcptTo, 421, "too many connections")]
    [InlineData(SmtpStage.Data, 452, "insufficient storage")]
    public async Task HandleAsync_ServerAnswers4xx_ReportsRetryWithTheReply(SmtpStage stage, int code, string text)
    {
        var item = EmailRecords.NewReport();
        fixture.Smtp.AnswerFor(item.To.Email, StandInSmtpAnswer.Reply(stage, code, text));

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(EmailOutcome.Retry, report.Outcome);
        Assert.StartsWith($"{code} {text}", report.Error);
        Assert.Empty(fixture.Smtp.ReceivedFor(item.To.Email));
    }

    [Theory]
    [InlineData(SmtpStage.RcptTo, 550, "no such user here")]
    [InlineData(SmtpStage.Data, 554, "message looks like spam")]
    public async Task HandleAsync_ServerRefuses5xx_ReportsFailedWithTheReply(SmtpStage stage, int code, string text)
    {
        var item = EmailRecords.NewReport();
        fixture.Smtp.AnswerFor(item.To.Email, StandInSmtpAnswer.Reply(stage, code, text));

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(EmailOutcome.Failed, report.Outcome);
        Assert.StartsWith($"{code} {text}", report.Error);
        Assert.Empty(fixture.Smtp.ReceivedFor(item.To.Email));
    }

    [Fact]
    public async Task HandleAsync_ConnectionDroppedAtData_ReportsRetryAndTheNextEmailGoesOut()
    {
        var item = EmailRecords.NewReport();
        fixture.Smtp.AnswerFor(item.To.Email, StandInSmtpAnswer.Dropping(SmtpStage.Data));

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));
        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        var next = EmailRecords.NewReport();
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(next));

        Assert.Equal(EmailOutcome.Retry, report.Outcome);
        Assert.NotNull(report.Error);
        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(next.MessageId)).Outcome);
    }

    [Fact]
    public async Task HandleAsync_ServerHangs_ReportsRetryAfterTheTimeoutAndTheNextEmailGoesOut()
    {
        var item = EmailRecords.NewReport();
        fixture.Smtp.AnswerFor(item.To.Email, StandInSmtpAnswer.Hanging(SmtpStage.RcptTo));

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));
        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        var next = EmailRecords.NewReport();
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(next));

        Assert.Equal(EmailOutcome.Retry, report.Outcome);
        Assert.Equal($"No answer within {EmailWorkerFixture.AttemptTimeout}.", report.Error);
        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(next.MessageId)).Outcome);
    }

    [Fact]
    public async Task HandleAsync_ManyEmails_GoOverAtMostMaxConnectionsSessions()
    {
        var items = Enumerable.Range(0, 20).Select(_ => EmailRecords.NewReport()).ToList();

        foreach (var item in items)
        {
            _producer.Produce(KafkaTopics.EmailsSend, EmailRecords.Message(item));
        }
        _producer.Flush();

        var reports = await _reports.WaitForAsync(record => items.Any(item => record.IsFor(item.MessageId)), items.Count);
        Assert.All(reports, record => Assert.Equal(EmailOutcome.Sent, record.EmailReport().Outcome));
        var sessions = items.Select(item => Assert.Single(fixture.Smtp.ReceivedFor(item.To.Email)).SessionId).Distinct().Count();
        Assert.InRange(sessions, 1, EmailWorkerFixture.MaxConnections);
    }

    [Fact]
    public async Task HandleAsync_OneCampaignsEmails_CompileItsTemplateOncePerChange()
    {
        using var compiled = new InstrumentRecorder(fixture.Worker.Services.GetRequiredService<IMeterFactory>(), "email.templates.compiled");
        var campaign = EmailRecords.NewCampaign();
        await ChangeCampaignAsync(campaign);
        var items = Enumerable.Range(0, 5).Select(_ => EmailRecords.NewItem(campaign)).ToList();

        foreach (var item in items)
        {
            await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));
        }
        await _reports.WaitForAsync(record => items.Any(item => record.IsFor(item.MessageId)), items.Count);
        var compiledForTheFirstChange = compiled.Total;
        var changed = campaign with { Subject = "Last days: {{ message }}" };
        await ChangeCampaignAsync(changed);
        var afterTheChange = EmailRecords.NewItem(changed);
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(afterTheChange));
        await _reports.WaitForEmailReportAsync(afterTheChange.MessageId);

        Assert.Equal(1, compiledForTheFirstChange);
        Assert.Equal(2, compiled.Total);
        Assert.Equal("Last days: 20 % off everything", Assert.Single(fixture.Smtp.ReceivedFor(afterTheChange.To.Email)).Message.Subject);
    }

    public static TheoryData<string, EmailSendItem> ContentsNotFromTaskApi
    {
        get
        {
            var signed = EmailRecords.NewReport();
            return new()
            {
                { "unsigned", EmailRecords.NewReport() with { Content = signed.Content! with { Signature = null } } },
                { "signed by another key", EmailRecords.NewReport() with
                    { Content = new EmailContentSignatures(new byte[32]).Sign(signed.Content! with { Signature = null }) } },
                { "sender changed", EmailRecords.NewReport() with
                    { Content = signed.Content! with { From = new EmailPerson("ceo@shop.example", "The CEO") } } },
                { "html changed", EmailRecords.NewReport() with
                    { Content = signed.Content! with { Html = "<a href=\"https://evil.example\">Sign in</a>" } } },
                { "signature not base64", EmailRecords.NewReport() with { Content = signed.Content! with { Signature = "%%%" } } },
            };
        }
    }

    [Theory]
    [MemberData(nameof(ContentsNotFromTaskApi))]
    public async Task HandleAsync_ContentNotSignedByTaskApi_IsDeadLetteredWithTheReasonAndNothingIsSent(string forgery, EmailSendItem item)
    {
        var forged = await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var source = $"{KafkaTopics.EmailsSend}/{forged.Partition.Value}/{forged.Offset.Value}";
        var deadLetter = Assert.Single(await _deadLetters.WaitForAsync(record => record.Header(DeadLetterHeaders.Source) == source));
        Assert.True(deadLetter.Header(DeadLetterHeaders.Reason)?.Contains("content is not signed by TaskApi") == true,
            $"{forgery}: dead-lettered for {deadLetter.Header(DeadLetterHeaders.Reason)}");
        // A genuine report produced after it goes out, so the forgery had its turn: it was not sent, and not reported.
        var genuine = EmailRecords.NewReport() with { To = item.To };
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(genuine));
        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(genuine.MessageId)).Outcome);
        var received = Assert.Single(await fixture.Smtp.WaitForAsync(item.To.Email)).Message;
        Assert.Equal(genuine.Content!.Html, received.HtmlBody?.TrimEnd());
        Assert.DoesNotContain(await _reports.ReadToEndAsync(), record => record.IsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_TemplateDoesNotCompile_ReportsFailedWithTheReasonAndSendsNothing()
    {
        var campaign = EmailRecords.NewCampaign(html: "<p>{% if message %}unclosed</p>");
        await ChangeCampaignAsync(campaign);
        var item = EmailRecords.NewItem(campaign);

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(EmailOutcome.Failed, report.Outcome);
        Assert.StartsWith($"Campaign {campaign.CampaignId}'s template does not compile", report.Error);
        Assert.Empty(fixture.Smtp.ReceivedFor(item.To.Email));
    }

    [Theory]
    [InlineData("from", "has no from.email")]
    [InlineData("subject", "has no subject")]
    public async Task HandleAsync_CampaignChangeLacksAField_ReportsFailedWithTheReasonAndSendsNothing(string missing, string reason)
    {
        var complete = EmailRecords.NewCampaign();
        var campaign = missing == "from" ? complete with { From = null! } : complete with { Subject = null! };
        await ChangeCampaignAsync(campaign);
        var item = EmailRecords.NewItem(campaign);

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(EmailOutcome.Failed, report.Outcome);
        Assert.Equal($"Campaign {campaign.CampaignId}'s record on {KafkaTopics.CampaignsChanges} {reason}.", report.Error);
        Assert.Empty(fixture.Smtp.ReceivedFor(item.To.Email));
    }

    [Fact]
    public async Task HandleAsync_RecipientIsNoAddress_ReportsFailedWithTheReason()
    {
        var item = EmailRecords.NewReport() with { To = new EmailPerson("not an address", null) };

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(EmailOutcome.Failed, report.Outcome);
        Assert.StartsWith("'not an address' is not an email address", report.Error);
    }

    [Fact]
    public async Task HandleAsync_CampaignCancelled_NeitherSendsNorReports()
    {
        var campaign = EmailRecords.NewCampaign() with { Cancelled = true };
        await ChangeCampaignAsync(campaign);
        var item = EmailRecords.NewItem(campaign);

        var delivery = await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        await Eventually.UntilAsync(
            async () => await fixture.Kafka.CommittedOffsetAsync(EmailSendConsumer.GroupId, delivery.TopicPartition) > delivery.Offset.Value,
            KafkaFixture.Patience, "the cancelled campaign's record to be committed");
        Assert.Empty(fixture.Smtp.ReceivedFor(item.To.Email));
        Assert.DoesNotContain(await _reports.ReadToEndAsync(), record => record.IsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_CampaignNeverKnown_ReportsRetryAfterTheWait()
    {
        var item = EmailRecords.NewItem(EmailRecords.NewCampaign());

        var produced = DateTimeOffset.UtcNow;
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        var report = await _reports.WaitForEmailReportAsync(item.MessageId);
        Assert.Equal(EmailOutcome.Retry, report.Outcome);
        Assert.Equal($"Campaign {item.CampaignId} is not known yet.", report.Error);
        Assert.True(report.OccurredAt - produced >= EmailWorkerFixture.CampaignWait * 0.9, $"reported {report.OccurredAt - produced} after producing");
        Assert.Empty(fixture.Smtp.ReceivedFor(item.To.Email));
    }

    [Fact]
    public async Task HandleAsync_CampaignChangeReadWhileWaiting_Sends()
    {
        var campaign = EmailRecords.NewCampaign();
        var item = EmailRecords.NewItem(campaign);

        // The record first, the change after it: the listener lagging behind the outbox looks like this to the handler.
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));
        await _producer.ProduceAsync(KafkaTopics.CampaignsChanges, EmailRecords.Change(campaign));

        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(item.MessageId)).Outcome);
    }

    [Fact]
    public async Task HandleAsync_RecordRedeliveredAfterItWasSent_ReportsSentAgainWithoutSendingAgain()
    {
        var item = EmailRecords.NewReport();
        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));
        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(item.MessageId)).Outcome);

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(item.MessageId, count: 2)).Outcome);
        Assert.Single(fixture.Smtp.ReceivedFor(item.To.Email));
        var markers = fixture.Worker.Services.GetRequiredKeyedService<SentMarkers>(DeliveryChannels.Email);
        Assert.Equal($"email:sent:{item.MessageId}", markers.KeyOf(item.MessageId).ToString());
    }

    [Fact]
    public async Task HandleAsync_RedisStoppedUnderTheSender_HoldsTheRecordsAndSendsAndReportsEachOnceItIsBack()
    {
        var items = Enumerable.Range(0, 20).Select(_ => EmailRecords.NewReport()).ToList();
        await OutageTests.ProduceWhileRedisIsDownAsync(fixture.Redis, fixture.Kafka, EmailSendConsumer.GroupId, KafkaTopics.EmailsSend,
            items.Select(item => (item.MessageId, EmailRecords.Message(item))).ToList(), _reports);

        foreach (var item in items)
        {
            Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(item.MessageId)).Outcome);
            Assert.Single(fixture.Smtp.ReceivedFor(item.To.Email));
        }
    }

    [Theory]
    [MemberData(nameof(UnreadableRecords))]
    public async Task HandleAsync_UnreadableRecordBeforeGoodOnes_IsDeadLetteredWithTheReasonAndTheGoodOnesAreSentAndCommitted(
        byte[]? key, byte[] value, string expectedReason)
    {
        var partition = new TopicPartition(KafkaTopics.EmailsSend, 2);
        var headers = new Headers { { "origin", "test"u8.ToArray() } };
        var receivedBefore = fixture.Smtp.Received.Count;
        var goodOnes = new[] { EmailRecords.NewReport(), EmailRecords.NewReport() };

        // The good records wait behind the unreadable one on its partition.
        var unreadable = await _producer.ProduceAsync(partition, new Message<byte[]?, byte[]> { Key = key, Value = value, Headers = headers });
        await _producer.ProduceAsync(partition, EmailRecords.Message(goodOnes[0]));
        var lastGood = await _producer.ProduceAsync(partition, EmailRecords.Message(goodOnes[1]));

        var source = $"{KafkaTopics.EmailsSend}/{partition.Partition.Value}/{unreadable.Offset.Value}";
        var deadLetter = Assert.Single(await _deadLetters.WaitForAsync(record => record.Header(DeadLetterHeaders.Source) == source));
        Assert.Equal(key, deadLetter.Message.Key);
        Assert.Equal(value, deadLetter.Message.Value ?? []);
        Assert.Equal("test", deadLetter.Header("origin"));
        Assert.Contains(expectedReason, deadLetter.Header(DeadLetterHeaders.Reason));
        foreach (var good in goodOnes)
        {
            Assert.Equal(EmailOutcome.Sent, (await _reports.WaitForEmailReportAsync(good.MessageId)).Outcome);
        }
        Assert.DoesNotContain(await _reports.ReadToEndAsync(), record => key is not null && record.IsFor(long.Parse(Encoding.UTF8.GetString(key))));
        // Whatever the row held, nothing reached the server for it: the good ones are the only emails since.
        Assert.Equal(goodOnes.Select(good => good.To.Email).Order(), fixture.Smtp.Received.Skip(receivedBefore).Select(email => email.EnvelopeTo.Single()).Order());
        await Eventually.UntilAsync(
            async () => await fixture.Kafka.CommittedOffsetAsync(EmailSendConsumer.GroupId, partition) > lastGood.Offset.Value,
            KafkaFixture.Patience, "the partition to be committed past the good records");
    }

    [Fact]
    public async Task HandleAsync_KeyWithALineBreak_DeadLettersItWithTheKeyEscapedInTheReason()
    {
        var item = EmailRecords.NewReport();

        var record = await _producer.ProduceAsync(KafkaTopics.EmailsSend,
            new Message<byte[]?, byte[]> { Key = "1\r\nforged: log line"u8.ToArray(), Value = MessageJson.Serialize(item) });

        var source = $"{KafkaTopics.EmailsSend}/{record.Partition.Value}/{record.Offset.Value}";
        var deadLetter = Assert.Single(await _deadLetters.WaitForAsync(r => r.Header(DeadLetterHeaders.Source) == source));
        // The reason is logged as it is: the key's line break is written escaped, so it cannot start a line of its own.
        Assert.Equal($"The key '1\\r\\nforged: log line' is not the messageId {item.MessageId}.", deadLetter.Header(DeadLetterHeaders.Reason));
    }

    [Fact]
    public async Task HandleAsync_Sent_RecordsTheSendDurationAndTheOutcome()
    {
        var meterFactory = fixture.Worker.Services.GetRequiredService<IMeterFactory>();
        using var duration = new InstrumentRecorder(meterFactory, "email.smtp.duration");
        using var outcomes = new InstrumentRecorder(meterFactory, "email.outcomes");
        var item = EmailRecords.NewReport();

        await _producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(item));

        await _reports.WaitForEmailReportAsync(item.MessageId);
        await Eventually.UntilAsync(() => Task.FromResult(outcomes.Total == 1), KafkaFixture.Patience, "the outcome to be counted");
        Assert.Equal(1, duration.Count);
    }

    public void Dispose()
    {
        _producer.Dispose();
        _reports.Dispose();
        _deadLetters.Dispose();
    }

    /// <summary>Publishes a campaign change and waits until the worker knows it, as TaskApi's change comes before the records.</summary>
    private async Task ChangeCampaignAsync(CampaignChanged change)
    {
        await _producer.ProduceAsync(KafkaTopics.CampaignsChanges, EmailRecords.Change(change));
        var known = fixture.Worker.Services.GetRequiredService<KnownCampaigns>();
        await Eventually.UntilAsync(() => Task.FromResult(known.Find(change.CampaignId) == change), KafkaFixture.Patience, "the worker to know the change");
    }
}

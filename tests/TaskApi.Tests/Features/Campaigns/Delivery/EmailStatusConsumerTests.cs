using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskApi.Features.Campaigns;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Campaigns.Delivery;

/// <summary>The workers' reports on emails.status, produced as TaskWorker would.</summary>
public sealed class EmailStatusConsumerTests(EmailStatusConsumerTests.MinuteRetriesApi api) : IClassFixture<EmailStatusConsumerTests.MinuteRetriesApi>, IDisposable
{
    /// <summary>Retries a minute (±50 %) after the first failure, at most three attempts.</summary>
    public sealed class MinuteRetriesApi : TaskApiFactory
    {
        public MinuteRetriesApi()
        {
            Settings["Campaigns:Retries:BaseDelay"] = "00:01:00";
            Settings["Campaigns:MaxAttempts"] = "3";
        }
    }

    private readonly CampaignScenario _scenario = new(api);

    [Fact]
    public async Task Report_AllSent_MarksTheCampaignSentWithExactCounts()
    {
        var (id, emails) = await _scenario.SendingAsync(3);
        var sentAt = DateTimeOffset.UtcNow.AddSeconds(-1);

        foreach (var email in emails)
        {
            await _scenario.ReportAsync(email, EmailOutcome.Sent, occurredAt: sentAt);
        }

        var campaign = await _scenario.InStatusAsync(id, "sent");
        Assert.Equal(3, campaign.GetProperty("messages").GetProperty("sent").GetInt32());
        Assert.NotNull(campaign.GetProperty("finishedAt").GetString());
        Assert.All(await _scenario.EmailsAsync(id), e =>
        {
            Assert.Equal((EmailStatus.Sent, 1), (e.Status, e.Attempts));
            Assert.Equal(sentAt, e.SentAt!.Value, TimeSpan.FromMilliseconds(1));
        });
    }

    [Fact]
    public async Task Report_Failed_IsFinalWithTheServersReply()
    {
        var (id, emails) = await _scenario.SendingAsync(1);

        await _scenario.ReportAsync(emails[0], EmailOutcome.Failed, error: "550 5.1.1 mailbox unavailable");

        var failed = await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Failed, "failed");
        Assert.Equal(("550 5.1.1 mailbox unavailable", 1), (failed.LastError, failed.Attempts));
        var campaign = await _scenario.InStatusAsync(id, "sent");
        Assert.Equal(1, campaign.GetProperty("messages").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Report_UnreadableBeforeAGoodOne_IsDeadLetteredWithTheReasonAndTheGoodOneApplied()
    {
        var (_, emails) = await _scenario.SendingAsync(1);

        // One key, one partition: the good report waits behind the unreadable one.
        await _scenario.ProduceAsync(KafkaTopics.EmailsStatus, MessageKeys.For(emails[0].Id), "{\"messageId\": 0}"u8.ToArray());
        await _scenario.ReportAsync(emails[0], EmailOutcome.Sent);

        await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Sent, "sent");
        var dead = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.EmailsStatusDeadLetter, emails[0].Id.ToString(), CampaignScenario.Timeout);
        Assert.StartsWith("Expected {\"messageId\": >0", dead.Header(DeadLetterHeaders.Reason));
    }

    [Fact]
    public async Task Report_ErrorCutInsideASurrogatePair_StoresItWithoutTheHalfPair()
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        var kept = new string('e', EmailMessageConfiguration.MaxErrorLength - 1);

        await _scenario.ReportAsync(emails[0], EmailOutcome.Failed, error: kept + "\U0001F600 and more");

        var failed = await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Failed, "failed");
        Assert.Equal(kept, failed.LastError);
    }

    [Fact]
    public async Task Report_Retry_SchedulesTheNextDispatchAfterABackoff()
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        var failedAt = DateTimeOffset.UtcNow;

        await _scenario.ReportAsync(emails[0], EmailOutcome.Retry, error: "451 4.3.0 try again later", occurredAt: failedAt);

        var waiting = await _scenario.EmailWhenAsync(emails[0].Id, e => e.Dispatch == 2, "rescheduled");
        Assert.Equal((EmailStatus.Pending, 1, "451 4.3.0 try again later"), (waiting.Status, waiting.Attempts, waiting.LastError));
        Assert.InRange(waiting.DueAt!.Value, failedAt.AddSeconds(30).AddMilliseconds(-1), DateTimeOffset.UtcNow.AddSeconds(90));
        var scheduleId = CampaignRecords.SendScheduleId(waiting.Id, 2);
        var request = (await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [scheduleId]))[scheduleId];
        Assert.Equal(waiting.DueAt.Value, request.DueAt, TimeSpan.FromMilliseconds(1));
        var item = MessageJson.Deserialize<EmailSendItem>(request.Value);
        Assert.Equal((KafkaTopics.EmailsSend, 2, emails[0].Email), (request.Topic, item.Dispatch, item.To.Email));
    }

    [Fact]
    public async Task Report_RetryOfTheLastAttempt_FailsWithTheLastError()
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        var email = emails[0];

        for (var dispatch = 1; dispatch <= 3; dispatch++)
        {
            await _scenario.ReportAsync(email, EmailOutcome.Retry, dispatch: dispatch, error: $"421 attempt {dispatch}");
            var expected = dispatch;
            email = await _scenario.EmailWhenAsync(email.Id, e => e.Attempts == expected, $"attempt {dispatch} applied");
        }

        Assert.Equal((EmailStatus.Failed, 3, "421 attempt 3"), (email.Status, email.Attempts, email.LastError));
    }

    [Fact]
    public async Task Report_OfAnEarlierDispatch_ChangesNothingUnlessSent()
    {
        var (_, emails) = await _scenario.SendingAsync(2);
        await _scenario.ReportAsync(emails[0], EmailOutcome.Retry, error: "421");
        await _scenario.ReportAsync(emails[1], EmailOutcome.Retry, error: "421");
        await _scenario.EmailWhenAsync(emails[0].Id, e => e.Dispatch == 2, "rescheduled");
        await _scenario.EmailWhenAsync(emails[1].Id, e => e.Dispatch == 2, "rescheduled");

        // A late failure of dispatch 1 is stale; a late 'sent' of dispatch 1 means it went out after all.
        await _scenario.ReportAsync(emails[0], EmailOutcome.Failed, dispatch: 1, error: "550 late");
        await _scenario.ReportAsync(emails[1], EmailOutcome.Sent, dispatch: 1);
        await _scenario.ReportAsync(emails[0], EmailOutcome.Sent, dispatch: 2);

        var first = await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Sent, "sent");
        Assert.Equal("421", first.LastError);
        var second = await _scenario.EmailWhenAsync(emails[1].Id, e => e.Status == EmailStatus.Sent, "sent");
        Assert.Equal(2, second.Dispatch);
    }

    [Fact]
    public async Task Report_SentAfterTheCampaignWasCancelled_CountsItSent()
    {
        var (id, emails) = await _scenario.SendingAsync(2);
        Assert.Equal(200, (int)(await _scenario.Http.DeleteAsync($"/campaigns/{id}")).StatusCode);

        await _scenario.ReportAsync(emails[0], EmailOutcome.Sent);

        await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Sent, "sent");
        var counts = (await _scenario.GetAsync(id)).GetProperty("messages");
        Assert.Equal((1, 1, 0), (counts.GetProperty("sent").GetInt32(), counts.GetProperty("cancelled").GetInt32(), counts.GetProperty("pending").GetInt32()));
    }

    [Fact]
    public async Task Stats_AfterMixedOutcomes_EqualTheEmailsStates()
    {
        var (id, emails) = await _scenario.SendingAsync(5);
        await _scenario.ReportAsync(emails[0], EmailOutcome.Sent);
        await _scenario.ReportAsync(emails[1], EmailOutcome.Sent);
        await _scenario.ReportAsync(emails[2], EmailOutcome.Failed, error: "550");
        await _scenario.ReportAsync(emails[3], EmailOutcome.Retry, error: "451");
        await _scenario.EmailWhenAsync(emails[3].Id, e => e.Dispatch == 2, "rescheduled");
        await _scenario.EmailWhenAsync(emails[2].Id, e => e.Status == EmailStatus.Failed, "failed");
        await _scenario.EmailWhenAsync(emails[1].Id, e => e.Status == EmailStatus.Sent, "sent");
        await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Sent, "sent");

        var stats = await _scenario.StatsAsync(id);
        var states = await _scenario.EmailsAsync(id);
        Assert.Equal(
            (states.Count, states.Count(e => e.Status == EmailStatus.Pending), states.Count(e => e.Status == EmailStatus.Sent),
                states.Count(e => e.Status == EmailStatus.Failed)),
            (stats.GetProperty("recipients").GetInt32(), stats.GetProperty("pending").GetInt32(), stats.GetProperty("sent").GetInt32(),
                stats.GetProperty("failed").GetInt32()));
        Assert.Equal((5, 2, 2, 1), (states.Count, states.Count(e => e.Status == EmailStatus.Pending), states.Count(e => e.Status == EmailStatus.Sent),
            states.Count(e => e.Status == EmailStatus.Failed)));
        var failedPage = await _scenario.Http.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/messages?status=failed");
        Assert.Equal([emails[2].Id], failedPage.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal("550", failedPage.GetProperty("items")[0].GetProperty("lastError").GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"messageId":1,"dispatch":1,"outcome":"bounced","occurredAt":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"messageId":0,"dispatch":1,"outcome":"sent","occurredAt":"2026-01-01T00:00:00Z"}""")]
    public async Task Report_Unreadable_IsDeadLetteredWithTheReason(string value)
    {
        var key = $"bad-{Guid.NewGuid():N}";
        await _scenario.ProduceAsync(KafkaTopics.EmailsStatus, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));

        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.EmailsStatusDeadLetter);
        var dead = await consumer.ConsumeFirstAsync(r => r.Message.Key is { } k && Encoding.UTF8.GetString(k) == key, CampaignScenario.Timeout);
        Assert.Equal(value, Encoding.UTF8.GetString(dead.Message.Value));
        Assert.Contains(dead.Message.Headers, h => h.Key == DeadLetterHeaders.Reason && h.GetValueBytes().Length > 0);
    }

    public void Dispose() => _scenario.Dispose();
}

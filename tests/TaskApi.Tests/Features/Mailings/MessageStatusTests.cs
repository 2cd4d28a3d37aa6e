using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Features.Mailings;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Mailings;

/// <summary>The workers' reports on messages.status, produced as TaskWorker would.</summary>
public sealed class MessageStatusTests(MessageStatusTests.MinuteRetriesApi api) : IClassFixture<MessageStatusTests.MinuteRetriesApi>, IDisposable
{
    /// <summary>Retries a minute (±50 %) after the first failure, so a retry is always still ahead when the report is applied.</summary>
    public sealed class MinuteRetriesApi : TaskApiFactory
    {
        public MinuteRetriesApi() => Settings["Mailings:Retries:BaseDelay"] = "00:01:00";
    }

    private readonly MailingScenario _scenario = new(api);

    private async Task<(long MailingId, List<SmsMessage> Messages)> RunningAsync(int clients, DateTimeOffset? endAt = null)
    {
        await _scenario.AddClientsAsync(clients);
        var id = (await _scenario.CreateAsync(_scenario.Body(endAt: endAt))).GetProperty("id").GetInt64();
        return (id, await _scenario.StartedAsync(id));
    }

    [Fact]
    public async Task Report_AllSent_FinishesTheMailingWithExactCountsAndSendTimes()
    {
        var (id, messages) = await RunningAsync(3);
        var first = DateTimeOffset.UtcNow.AddSeconds(-2);

        for (var i = 0; i < messages.Count; i++)
        {
            await _scenario.ReportAsync(messages[i], SmsOutcome.Sent, occurredAt: first.AddSeconds(i));
        }

        var mailing = await _scenario.InStatusAsync(id, "finished");
        Assert.Equal(3, mailing.GetProperty("messages").GetProperty("sent").GetInt32());
        var stats = await _scenario.Http.GetFromJsonAsync<JsonElement>($"/mailings/{id}/stats");
        Assert.Equal(first, stats.GetProperty("firstSentAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(first.AddSeconds(2), stats.GetProperty("lastSentAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.All(await _scenario.MessagesAsync(id), m => Assert.Equal((MessageStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task Report_ErrorCutInsideASurrogatePair_StoresItWithoutTheHalfPair()
    {
        var (_, messages) = await RunningAsync(1);
        var kept = new string('e', SmsMessageConfiguration.MaxErrorLength - 1);

        await _scenario.ReportAsync(messages[0], SmsOutcome.Failed, error: kept + "\U0001F600 and more");

        var failed = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Failed, "failed");
        Assert.Equal(kept, failed.LastError);
    }

    [Fact]
    public async Task Report_Retry_SchedulesTheNextDispatchAfterABackoff()
    {
        var (_, messages) = await RunningAsync(1);
        var failedAt = DateTimeOffset.UtcNow;

        await _scenario.ReportAsync(messages[0], SmsOutcome.Retry, error: "HTTP 500", occurredAt: failedAt);

        var waiting = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Dispatch == 2, "rescheduled");
        Assert.Equal((MessageStatus.Pending, 1, "HTTP 500"), (waiting.Status, waiting.Attempts, waiting.LastError));
        // Mailings:Retries:BaseDelay (a minute here) ±50 % after the first failure.
        Assert.InRange(waiting.DueAt!.Value, failedAt.AddSeconds(30) - TimeSpan.FromMilliseconds(1), failedAt.AddSeconds(90).AddMilliseconds(1));
        var scheduleId = $"sms-{waiting.Id}-dispatch-2";
        var request = (await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [scheduleId]))[scheduleId];
        Assert.Equal(waiting.DueAt.Value, request.DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, MessageJson.Deserialize<SmsSendItem>(request.Value).Dispatch);
    }

    [Fact]
    public async Task Report_RetryWithRetryAfter_WaitsAtLeastThatLong()
    {
        var (_, messages) = await RunningAsync(1);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(2);

        await _scenario.ReportAsync(messages[0], SmsOutcome.Retry, error: "HTTP 429", retryNotBefore: notBefore);

        var waiting = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Dispatch == 2, "rescheduled");
        Assert.Equal(notBefore, waiting.DueAt!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Report_RetryWhoseNextAttemptWouldBeAfterTheEnd_Expires()
    {
        var (id, messages) = await RunningAsync(1, endAt: DateTimeOffset.UtcNow.AddMinutes(1));

        await _scenario.ReportAsync(messages[0], SmsOutcome.Retry, error: "HTTP 429", retryNotBefore: DateTimeOffset.UtcNow.AddMinutes(5));

        var expired = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status != MessageStatus.Pending, "final");
        Assert.Equal((MessageStatus.Expired, "HTTP 429"), (expired.Status, expired.LastError));
        await _scenario.InStatusAsync(id, "finished");
    }

    [Fact]
    public async Task Report_Failed_IsFinalWithTheGatewaysAnswer()
    {
        var (id, messages) = await RunningAsync(2);

        await _scenario.ReportAsync(messages[0], SmsOutcome.Failed, error: "HTTP 400: {\"error\":\"bad number\"}");

        var failed = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Failed, "failed");
        Assert.Equal("HTTP 400: {\"error\":\"bad number\"}", failed.LastError);
        var page = await _scenario.Http.GetFromJsonAsync<JsonElement>($"/mailings/{id}/messages?status=failed");
        var listed = page.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((failed.Id, "failed", 1, "HTTP 400: {\"error\":\"bad number\"}"),
            (listed.GetProperty("id").GetInt64(), listed.GetProperty("status").GetString(), listed.GetProperty("attempts").GetInt32(), listed.GetProperty("lastError").GetString()));
        Assert.Equal(messages[0].Phone, listed.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task Report_OfAnEarlierDispatch_ChangesNothingUnlessItWasSent()
    {
        var (_, messages) = await RunningAsync(2);
        await _scenario.ReportAsync(messages[0], SmsOutcome.Retry, error: "timeout");
        await _scenario.ReportAsync(messages[1], SmsOutcome.Retry, error: "timeout");
        var waiting = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Dispatch == 2, "rescheduled");
        await _scenario.MessageWhenAsync(messages[1].Id, m => m.Dispatch == 2, "rescheduled");

        // A redelivered report of dispatch 1 is ignored; a 'sent' of dispatch 1 means the provider has it after all.
        await _scenario.ReportAsync(messages[0], SmsOutcome.Failed, dispatch: 1, error: "late");
        await _scenario.ReportAsync(messages[1], SmsOutcome.Sent, dispatch: 1);

        await _scenario.MessageWhenAsync(messages[1].Id, m => m.Status == MessageStatus.Sent, "sent");
        Assert.Equal((MessageStatus.Pending, 2, "timeout"), ((await _scenario.MessageAsync(waiting.Id)) is var m ? (m.Status, m.Dispatch, m.LastError) : default));
    }

    [Fact]
    public async Task Report_SentAfterTheMessageExpired_CountsItAsSent()
    {
        var (id, messages) = await RunningAsync(1);
        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.End, 1)));
        await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Expired, "expired");

        await _scenario.ReportAsync(messages[0], SmsOutcome.Sent);

        await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Sent, "sent");
        var counts = (await _scenario.GetAsync(id)).GetProperty("messages");
        Assert.Equal((1, 0), (counts.GetProperty("sent").GetInt32(), counts.GetProperty("expired").GetInt32()));
    }

    [Fact]
    public async Task Report_ExpiredByAWorkerHoldingAnOldEnd_SendsAgainWhileTheMailingRuns()
    {
        var (_, messages) = await RunningAsync(1);

        await _scenario.ReportAsync(messages[0], SmsOutcome.Expired, called: false);

        var again = await _scenario.MessageWhenAsync(messages[0].Id, m => m.Dispatch == 2, "sent again");
        Assert.Equal((MessageStatus.Pending, 0, (DateTimeOffset?)null), (again.Status, again.Attempts, again.DueAt));
        using var sends = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.MessagesSend);
        var resent = await sends.ConsumeFirstAsync(r => MessageJson.Deserialize<SmsSendItem>(r.Message.Value) is { Dispatch: 2 } item && item.MessageId == again.Id,
            MailingScenario.Timeout);
        Assert.Equal(again.Id.ToString(CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(resent.Message.Key!));
    }

    [Fact]
    public async Task Report_UnreadableBeforeAGoodOne_IsDeadLetteredWithTheReasonAndTheGoodOneApplied()
    {
        var (_, messages) = await RunningAsync(1);
        var key = MessageKeys.For(messages[0].Id);

        // One key, one partition: the good report waits behind the unreadable one.
        await _scenario.ProduceAsync(KafkaTopics.MessagesStatus, key, "{\"messageId\":\"x\"}"u8.ToArray());
        await _scenario.ReportAsync(messages[0], SmsOutcome.Sent);

        await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Sent, "sent");
        var dead = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.MessagesStatusDeadLetter, messages[0].Id.ToString(CultureInfo.InvariantCulture), MailingScenario.Timeout);
        Assert.Equal("{\"messageId\":\"x\"}", System.Text.Encoding.UTF8.GetString(dead.Message.Value));
        Assert.StartsWith("The JSON value at $.messageId", dead.Header(DeadLetterHeaders.Reason));
    }

    [Fact]
    public async Task Stats_AfterMixedOutcomes_EqualTheMessagesStates()
    {
        var (id, messages) = await RunningAsync(6);
        await _scenario.ReportAsync(messages[0], SmsOutcome.Sent);
        await _scenario.ReportAsync(messages[1], SmsOutcome.Sent);
        await _scenario.ReportAsync(messages[2], SmsOutcome.Failed, error: "HTTP 403");
        await _scenario.ReportAsync(messages[3], SmsOutcome.Retry, error: "HTTP 503");
        await _scenario.MessageWhenAsync(messages[3].Id, m => m.Dispatch == 2, "rescheduled");
        await _scenario.MessageWhenAsync(messages[2].Id, m => m.Status == MessageStatus.Failed, "failed");
        await _scenario.MessageWhenAsync(messages[1].Id, m => m.Status == MessageStatus.Sent, "sent");

        var actual = (await _scenario.MessagesAsync(id)).GroupBy(m => m.Status).ToDictionary(g => g.Key, g => g.Count());
        var counts = (await _scenario.Http.GetFromJsonAsync<JsonElement>($"/mailings/{id}/stats")).GetProperty("messages");
        foreach (var status in Enum.GetValues<MessageStatus>())
        {
            Assert.Equal(actual.GetValueOrDefault(status), counts.GetProperty(status.ToString().ToLowerInvariant()).GetInt32());
        }
        Assert.Equal(6, counts.GetProperty("total").GetInt32());

        var all = await _scenario.Http.GetFromJsonAsync<JsonElement>("/mailings/stats?pageSize=100");
        var listed = all.GetProperty("items").GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal(counts.GetRawText(), listed.GetProperty("messages").GetRawText());
        var totals = await api.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.SmsMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() })));
        foreach (var total in totals)
        {
            Assert.Equal(total.Count, all.GetProperty("messages").GetProperty(total.Key.ToString().ToLowerInvariant()).GetInt32());
        }
    }

    public void Dispose() => _scenario.Dispose();
}

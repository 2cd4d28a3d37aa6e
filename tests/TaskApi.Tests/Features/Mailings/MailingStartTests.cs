using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Mailings;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Mailings;

public sealed class MailingStartTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly MailingScenario _scenario = new(api);

    [Fact]
    public async Task Start_Now_MakesOneMessageAndOneSendRecordPerMatchingClient()
    {
        var matching = await _scenario.AddClientsAsync(3, operatorCode: "901");
        await _scenario.AddClientsAsync(1, operatorCode: "902");
        await _scenario.AddClientsAsync(1, operatorCode: "901", tag: "other");
        var endAt = DateTimeOffset.UtcNow.AddHours(1);

        var created = await _scenario.CreateAsync(_scenario.Body(text: "Hi there", endAt: endAt, operatorCodes: ["901"]));
        var id = created.GetProperty("id").GetInt64();
        var messages = await _scenario.StartedAsync(id);

        Assert.Equal(matching.Select(c => c.Id).Order(), messages.Select(m => m.ClientId).Order());
        Assert.All(messages, m => Assert.Equal((MessageStatus.Pending, 1, 0, (DateTimeOffset?)null), (m.Status, m.Dispatch, m.Attempts, m.DueAt)));
        var mailing = await _scenario.InStatusAsync(id, "running");
        Assert.Equal(3, mailing.GetProperty("messages").GetProperty("pending").GetInt32());
        Assert.NotEqual(JsonValueKindNull, mailing.GetProperty("startedAt").ValueKind);

        var sends = await _scenario.ReadAsync<SmsSendItem>(KafkaTopics.MessagesSend, messages.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)).ToList());
        foreach (var message in messages)
        {
            var item = sends[message.Id.ToString(CultureInfo.InvariantCulture)];
            var client = matching.Single(c => c.Id == message.ClientId);
            Assert.Equal(new SmsSendItem(message.Id, id, client.Id, client.Phone, "Hi there", 1, endAt, null), item with { ExpiresAt = endAt });
            Assert.Equal(endAt, item.ExpiresAt, TimeSpan.FromMilliseconds(1));
        }
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Theory]
    [InlineData(new[] { "911", "912" }, new string[0], 3)] // codes only: any of this test's tags
    [InlineData(new string[0], new[] { "a" }, 2)]           // tag only: any code
    [InlineData(new[] { "911" }, new[] { "a", "b" }, 2)]    // both must match
    [InlineData(new[] { "913" }, new[] { "a" }, 0)]         // no client has both
    public async Task Start_Filter_MatchesOperatorCodeAndTag(string[] codes, string[] tagSuffixes, int expected)
    {
        await _scenario.AddClientsAsync(1, operatorCode: "911", tag: _scenario.Tag + "a");
        await _scenario.AddClientsAsync(1, operatorCode: "911", tag: _scenario.Tag + "b");
        await _scenario.AddClientsAsync(1, operatorCode: "912", tag: _scenario.Tag + "a");
        await _scenario.AddClientsAsync(1, operatorCode: "913", tag: _scenario.Tag + "b");
        var tags = tagSuffixes.Length == 0 ? new[] { "a", "b" }.Select(s => _scenario.Tag + s).ToArray() : tagSuffixes.Select(s => _scenario.Tag + s).ToArray();

        var id = (await _scenario.CreateAsync(_scenario.Body(operatorCodes: codes, tags: tags))).GetProperty("id").GetInt64();
        var messages = await _scenario.StartedAsync(id);

        Assert.Equal(expected, messages.Count);
        // A mailing that matches nobody has nothing to send and is finished at once.
        await _scenario.InStatusAsync(id, expected == 0 ? "finished" : "running");
    }

    [Fact]
    public async Task Start_EmptyFilter_MatchesEveryClient()
    {
        await _scenario.AddClientsAsync(2);
        var clients = await api.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Clients));

        var id = (await _scenario.CreateAsync(_scenario.Body(tags: []))).GetProperty("id").GetInt64();

        Assert.Equal(clients, (await _scenario.StartedAsync(id)).Count);
    }

    [Fact]
    public async Task Start_StartAtLater_StaysScheduledUntilItsStartIsDelivered()
    {
        await _scenario.AddClientsAsync(2);
        var startAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)))).GetProperty("id").GetInt64();
        var start = $"mailing-{id}-start-v1";
        var request = (await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [start]))[start];
        Assert.Equal("scheduled", (await _scenario.GetAsync(id)).GetProperty("status").GetString());
        Assert.Empty(await _scenario.MessagesAsync(id));

        // What the Scheduler does at startAt: the record it holds, to its topic.
        await _scenario.ProduceAsync(request.Topic, request.Key!, request.Value);

        Assert.Equal(2, (await _scenario.StartedAsync(id)).Count);
        await _scenario.InStatusAsync(id, "running");
    }

    [Fact]
    public async Task Start_ClientOutsideItsWindow_WaitsForTheWindowThroughTheScheduler()
    {
        var now = DateTimeOffset.UtcNow;
        // A window open now in UTC (from an hour ago for two hours): closed now in a zone 12 hours away.
        var window = new { from = now.AddHours(-1).ToString("HH:00", CultureInfo.InvariantCulture), to = now.AddHours(1).ToString("HH:00", CultureInfo.InvariantCulture) };
        var open = (await _scenario.AddClientsAsync(1, timeZone: "UTC")).Single();
        var closed = (await _scenario.AddClientsAsync(1, timeZone: "Etc/GMT-12")).Single();
        var endAt = now.AddDays(2);

        var id = (await _scenario.CreateAsync(_scenario.Body(endAt: endAt, sendWindow: window))).GetProperty("id").GetInt64();
        var messages = await _scenario.StartedAsync(id);

        var waiting = messages.Single(m => m.ClientId == closed.Id);
        var opening = SendWindowClock.NextOpening(new SendWindow(TimeOnly.Parse(window.from), TimeOnly.Parse(window.to)), SendWindowClock.Zone("Etc/GMT-12"), now);
        Assert.Equal(opening, waiting.DueAt!.Value, TimeSpan.FromSeconds(1));
        var scheduleId = $"sms-{waiting.Id}-dispatch-1";
        var request = (await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [scheduleId]))[scheduleId];
        Assert.Equal(KafkaTopics.MessagesSend, request.Topic);
        Assert.Equal(waiting.DueAt.Value, request.DueAt, TimeSpan.FromMilliseconds(1));
        var item = MessageJson.Deserialize<SmsSendItem>(request.Value);
        Assert.NotNull(item.WindowClosesAt);

        var sendNow = messages.Single(m => m.ClientId == open.Id);
        Assert.Null(sendNow.DueAt);
        var sent = (await _scenario.ReadAsync<SmsSendItem>(KafkaTopics.MessagesSend, [sendNow.Id.ToString(CultureInfo.InvariantCulture)])).Single().Value;
        Assert.True(sent.WindowClosesAt > now, "The record says when the client's window closes.");
    }

    [Fact]
    public async Task Start_WindowNeverOpensBeforeTheEnd_ExpiresAtOnce()
    {
        var now = DateTimeOffset.UtcNow;
        // Opens in two hours (UTC); the mailing ends in one.
        var window = new { from = now.AddHours(2).ToString("HH:mm", CultureInfo.InvariantCulture), to = now.AddHours(3).ToString("HH:mm", CultureInfo.InvariantCulture) };
        await _scenario.AddClientsAsync(2);

        var id = (await _scenario.CreateAsync(_scenario.Body(endAt: now.AddHours(1), sendWindow: window))).GetProperty("id").GetInt64();

        Assert.All(await _scenario.StartedAsync(id), m => Assert.Equal(MessageStatus.Expired, m.Status));
        var mailing = await _scenario.InStatusAsync(id, "finished");
        Assert.Equal(2, mailing.GetProperty("messages").GetProperty("expired").GetInt32());
    }

    [Fact]
    public async Task End_WhileMessagesArePending_ExpiresThemAndFinishesTheMailing()
    {
        await _scenario.AddClientsAsync(3);
        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();
        var messages = await _scenario.StartedAsync(id);
        await _scenario.ReportAsync(messages[0], SmsOutcome.Sent);
        await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Sent, "sent");

        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.End, 1)));

        var mailing = await _scenario.InStatusAsync(id, "finished");
        var counts = mailing.GetProperty("messages");
        Assert.Equal((1, 2, 0), (counts.GetProperty("sent").GetInt32(), counts.GetProperty("expired").GetInt32(), counts.GetProperty("pending").GetInt32()));
        Assert.Equal([MessageStatus.Sent, MessageStatus.Expired, MessageStatus.Expired], (await _scenario.MessagesAsync(id)).Select(m => m.Status));
    }

    [Fact]
    public async Task Start_DeliveredTwice_MakesTheMessagesOnce()
    {
        await _scenario.AddClientsAsync(2);
        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();
        await _scenario.StartedAsync(id);

        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.Start, 1)));
        // A later record on the same key (same partition) proves the repeated start was handled.
        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.End, 1)));
        await _scenario.InStatusAsync(id, "finished");

        Assert.Equal(2, (await _scenario.MessagesAsync(id)).Count);
    }

    [Fact]
    public async Task Start_ConnectionLostMidTransaction_IsHandledAgainFromTheStart()
    {
        const int clients = 20_000;
        await _scenario.AddClientsAsync(clients);
        var terminated = TerminateStartMidTransactionAsync();

        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();

        Assert.True(await terminated, "The start's transaction was never seen between its COPY and its commit.");
        var mailing = await _scenario.InStatusAsync(id, "running");
        Assert.Equal(clients, mailing.GetProperty("messages").GetProperty("pending").GetInt32());
        var messages = await _scenario.MessagesAsync(id);
        Assert.Equal(clients, messages.Select(m => m.ClientId).Distinct().Count());
        Assert.All(messages, m => Assert.Equal((MessageStatus.Pending, 1), (m.Status, m.Dispatch)));
    }

    /// <summary>
    /// Terminates the backend of the first mailing start seen after its messages' COPY began and before its commit (the
    /// connection dies as a crash of TaskApi or of the network would take it); true once it did.
    /// </summary>
    private Task<bool> TerminateStartMidTransactionAsync() => Task.Run(async () =>
    {
        var deadline = DateTime.UtcNow + MailingScenario.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var killed = await api.WithDbAsync(db => db.Database.SqlQueryRaw<bool>("""
                SELECT pg_terminate_backend(pid) AS "Value" FROM pg_stat_activity
                WHERE datname = current_database() AND state IN ('active', 'idle in transaction')
                  AND (query LIKE 'COPY sms_messages%' OR query LIKE 'COPY outbox_messages%')
                """).ToListAsync());
            if (killed.Contains(true))
            {
                return true;
            }
        }
        return false;
    });

    [Fact]
    public async Task Due_UnreadableRecordBeforeAStart_IsDeadLetteredWithTheReasonAndTheStartHandled()
    {
        await _scenario.AddClientsAsync(1);
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: DateTimeOffset.UtcNow.AddHours(1)))).GetProperty("id").GetInt64();

        // One key, one partition: the start waits behind the unreadable record.
        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), "{\"mailingId\": \"seven\"}"u8.ToArray());
        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.Start, 1)));

        Assert.Single(await _scenario.StartedAsync(id));
        var dead = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.MailingsDueDeadLetter, id.ToString(CultureInfo.InvariantCulture), MailingScenario.Timeout);
        Assert.Equal("The value is not a MailingDue {mailingId, moment: start|end, timesVersion}.", dead.Header(DeadLetterHeaders.Reason));
    }

    public void Dispose() => _scenario.Dispose();
}

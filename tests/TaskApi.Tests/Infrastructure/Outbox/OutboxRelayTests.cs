using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmbeddedKafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Infrastructure.Outbox;

public sealed class OutboxRelayTests(OutboxRelayTests.ShortTimeoutApi api) : IClassFixture<OutboxRelayTests.ShortTimeoutApi>
{
    /// <summary>Kafka deliveries time out after 1.5 s, so an outage shows as failed attempts quickly.</summary>
    public sealed class ShortTimeoutApi : TaskApiFactory
    {
        public ShortTimeoutApi() => Settings["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "1500";
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Relay_CreatedTask_PublishesWorkItemKeyedByTaskIdInTheRequestsTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name = "traced", payload = new { n = 7 } }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var outsideClient = api.CreateOutsideClient();
        var created = await (await outsideClient.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskWork);
        var published = await consumer.ConsumeFirstAsync(m => m.Message.Key!.SequenceEqual(MessageKeys.For(id)), Timeout);
        var workItem = MessageJson.Deserialize<TaskWorkItem>(published.Message.Value);
        Assert.Equal(id, workItem.TaskId);
        Assert.Equal("traced", workItem.Name);
        Assert.Equal(7, workItem.Payload!.Value.GetProperty("n").GetInt32());
        Assert.Equal(traceId, ActivityContext.Parse(published.Header("traceparent")!, null).TraceId);
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null || m.SetAsideAt != null)), Timeout, "the outbox record to be marked sent");
    }

    [Fact]
    public async Task Relay_RecordWithHeaders_PublishesThemInOrderWithTheRecordsTraceContextInPlaceOfTheirs()
    {
        var key = Encoding.UTF8.GetBytes($"headers-{Guid.NewGuid():N}");
        var traceId = ActivityTraceId.CreateRandom();
        var staleTraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";
        await api.WithDbAsync(db =>
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                Topic = KafkaTopics.MessagesSend,
                Key = key,
                Value = [1],
                Headers = [new("x-a", "1"u8.ToArray()), new("traceparent", Encoding.UTF8.GetBytes(staleTraceParent)), new("x-empty", null), new("x-a", "2"u8.ToArray())],
                TraceParent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });
        api.Services.GetRequiredService<OutboxSignal>().Notify();

        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.MessagesSend);
        var published = await consumer.ConsumeFirstAsync(m => m.Message.Key is { } k && k.SequenceEqual(key), Timeout);

        Assert.Equal(
            new (string, string?)[] { ("x-a", "1"), ("x-empty", null), ("x-a", "2") },
            published.Message.Headers.Where(h => h.Key.StartsWith("x-", StringComparison.Ordinal))
                .Select(h => (h.Key, h.GetValueBytes() is { } value ? Encoding.UTF8.GetString(value) : null)));
        var traceParent = Assert.Single(published.Message.Headers, h => h.Key == "traceparent");
        Assert.Equal(traceId, ActivityContext.Parse(Encoding.UTF8.GetString(traceParent.GetValueBytes()), null).TraceId);
    }

    [Fact]
    public async Task Relay_ExpressRecordBehindABacklogOf20000_PublishesItInTheFirstBatch()
    {
        const int backlog = 20_000;
        var batchSize = new OutboxOptions().BatchSize;
        var now = DateTimeOffset.UtcNow.TruncateToMicroseconds();
        // A topic TaskApi does not consume; the express record is the newest, committed with the backlog in one transaction.
        var records = Enumerable.Range(0, backlog).Select(i => OutboxRecords.Publish(KafkaTopics.NotificationsSend, MessageKeys.For(i), [1], null, now))
            .Append(OutboxRecords.Publish(KafkaTopics.NotificationsSend, MessageKeys.For(-1), [2], null, now, express: true));
        await api.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await OutboxCopy.WriteAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), records, CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.Where(m => m.CreatedAt == now).AllAsync(m => m.SentAt != null)),
            Timeout, "the backlog to be published");
        var express = await api.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => m.CreatedAt == now && m.Express));
        var publishedWithOrBefore = await api.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.CreatedAt == now && !m.Express && m.SentAt <= express.SentAt));
        // Without the lane it would have gone in the last batch, after all 20,000.
        Assert.InRange(publishedWithOrBefore, 0, batchSize - 1);
    }

    [Fact]
    public async Task Relay_KafkaDownWhenTaskIsCreated_PublishesOnceKafkaIsBack()
    {
        using var undelivered = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), TaskMetrics.OutboxUndeliveredInstrument);
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskWork);
        api.Kafka.SetBrokerDown(KafkaMockCluster.AllBrokers);
        Guid id;
        try
        {
            var response = await _client.PostAsJsonAsync("/tasks", new { name = "created during an outage" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            await Eventually.UntilAsync(() => Task.FromResult(undelivered.Total > 0), Timeout, "the relay to fail delivering while Kafka is down");
            Assert.True(await api.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.SentAt == null && m.SetAsideAt == null)));
        }
        finally
        {
            api.Kafka.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }

        await consumer.ConsumeFirstAsync(m => MessageJson.Deserialize<TaskWorkItem>(m.Message.Value).TaskId == id, Timeout);
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null || m.SetAsideAt != null)), Timeout, "every outbox record to be marked sent");
    }

    [Fact]
    public async Task Relay_RecordKafkaNeverAccepts_SetsItAsideCountedAndRelaysTheRecordsBehindIt()
    {
        using var setAside = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), TaskMetrics.OutboxSetAsideInstrument);
        using var undelivered = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), TaskMetrics.OutboxUndeliveredInstrument);
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskWork);
        var tooLargeKey = MessageKeys.For(Guid.NewGuid());
        await api.WithDbAsync(async db =>
        {
            db.OutboxMessages.Add(OutboxRecords.Publish(KafkaTopics.TaskWork, tooLargeKey, new byte[KafkaLimits.MaxRecordBytes + 1], null, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });

        var response = await _client.PostAsJsonAsync("/tasks", new { name = "behind a record too large for Kafka" });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await consumer.ConsumeFirstAsync(m => m.Message.Key!.SequenceEqual(MessageKeys.For(id)), Timeout);
        var tooLarge = await Eventually.GetAsync(
            () => api.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Key == tooLargeKey && m.SetAsideAt != null)),
            Timeout, "the record too large to be set aside");
        Assert.Null(tooLarge.SentAt);
        Assert.Contains(nameof(ErrorCode.MsgSizeTooLarge), tooLarge.SetAsideReason);
        Assert.Equal(1, setAside.Total);
        // It was never a failed pass: the relay did not back off on it.
        Assert.Equal(0, undelivered.Total);
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null || m.SetAsideAt != null)),
            Timeout, "every other record to be marked sent");
    }

    [Fact]
    public async Task Relay_TwoInstancesOnOneOutbox_PublishEachRecordOnce()
    {
        const int records = 5000;
        // A signal of its own, so both relays are woken at once (one signal wakes one of them).
        var secondSignal = new OutboxSignal();
        var second = ActivatorUtilities.CreateInstance<OutboxRelay>(api.Services, NullLogger<OutboxRelay>.Instance, secondSignal);
        await second.StartAsync(CancellationToken.None);
        try
        {
            var prefix = $"twice-{Guid.NewGuid():N}-";
            await api.WithDbAsync(async db =>
            {
                db.OutboxMessages.AddRange(Enumerable.Range(0, records).Select(i =>
                    OutboxRecords.Publish(KafkaTopics.TaskWork, System.Text.Encoding.UTF8.GetBytes(prefix + i), "{}"u8.ToArray(), null, DateTimeOffset.UtcNow)));
                return await db.SaveChangesAsync();
            });
            api.Services.GetRequiredService<OutboxSignal>().Notify();
            secondSignal.Notify();
            await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null || m.SetAsideAt != null)),
                Timeout, "both relays to mark every record sent");

            // Marked sent means Kafka acknowledged it: everything either relay published is below the high watermarks now.
            var published = await ReadToEndAsync(KafkaTopics.TaskWork,
                m => m.Message.Key is { } key && System.Text.Encoding.UTF8.GetString(key).StartsWith(prefix, StringComparison.Ordinal));
            var keys = published.Select(m => System.Text.Encoding.UTF8.GetString(m.Message.Key!)).ToList();
            Assert.Equal(records, keys.Distinct().Count());
            Assert.Equal(records, keys.Count);
        }
        finally
        {
            await second.StopAsync(CancellationToken.None);
            second.Dispose();
        }
    }

    private Task<List<ConsumeResult<byte[]?, byte[]>>> ReadToEndAsync(string topic, Func<ConsumeResult<byte[]?, byte[]>, bool> match) => OwnThread.RunAsync(() =>
    {
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, topic);
        var ends = consumer.Assignment.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, Timeout).High.Value);
        var results = new List<ConsumeResult<byte[]?, byte[]>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (ends.Any(end => end.Value > 0 && consumer.Position(end.Key).Value < end.Value))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{topic} not read to its end within {Timeout}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result && match(result))
            {
                results.Add(result);
            }
        }
        return results;
    });
}

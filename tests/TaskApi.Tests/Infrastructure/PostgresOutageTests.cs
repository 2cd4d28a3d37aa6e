using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TaskApi.Features.Reports.Sending;
using TaskApi.Features.Tasks.Intake;
using TaskApi.Features.Tasks.StatusUpdates;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Infrastructure;

/// <summary>
/// PostgreSQL made unavailable under the intake, status and report consumers (connections refused, open ones
/// terminated) while their records arrive, then back: every record is applied once and none is dead-lettered. Were the
/// outage taken for poison, the batches would be split and their records dead-lettered instead of applied.
/// </summary>
public sealed class PostgresOutageTests(PostgresOutageTests.OutageApi api) : IClassFixture<PostgresOutageTests.OutageApi>
{
    public sealed class OutageApi : TaskApiFactory
    {
        public OutageApi()
        {
            Settings["Reports:Recipients:0"] = "boss@example.com";
            // EF's own retries would wait a short outage out beneath the consumers; without them every failure reaches
            // the batch loop, whose guarantee this is.
            Settings["Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableRetry"] = "true";
        }

        /// <summary>Whether <paramref name="category"/> logged a batch retried on an outage.</summary>
        public bool RetriedOnOutage(string category) => Services.GetFakeLogCollector().GetSnapshot().Any(log =>
            log.Category == category && log.Level == LogLevel.Warning && log.Message.Contains("failed on an outage", StringComparison.Ordinal));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddFakeLogging());
        }
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Consumers_PostgresUnavailableThenBack_ApplyEveryRecordOnceAndDeadLetterNone()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/tasks", new { name = "reported on during the outage" });
        var reported = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var keys = Enumerable.Range(0, 20).Select(i => $"outage-{i}-{Guid.NewGuid():N}").ToList();
        using var producer = PipelineKafka.Producer(api.Kafka.BootstrapServers);

        await api.Database.BlockAsync();
        try
        {
            foreach (var key in keys)
            {
                await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<byte[]?, byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(key), Value = """{"name": "submitted during the outage"}"""u8.ToArray(),
                });
            }
            await producer.ProduceAsync(KafkaTopics.TaskStatus, new Message<byte[]?, byte[]>
            {
                Key = MessageKeys.For(reported), Value = MessageJson.Serialize(new TaskStatusChanged(reported, TaskRunStatus.Success, T0, null)),
            });
            await producer.ProduceAsync(KafkaTopics.ReportsDue, new Message<byte[]?, byte[]>
            {
                Key = "2020-03-12"u8.ToArray(), Value = MessageJson.Serialize(new ReportDue("2020-03-12")),
            });

            // Each consumer has met the outage before the database comes back.
            string[] consumers = [typeof(TaskRequestsConsumer).FullName!, typeof(TaskStatusConsumer).FullName!, typeof(ReportDueConsumer).FullName!];
            await Eventually.UntilAsync(() => Task.FromResult(consumers.All(api.RetriedOnOutage)), Timeout, "each consumer to retry on the outage");
        }
        finally
        {
            await api.Database.UnblockAsync();
        }

        await Eventually.UntilAsync(() => api.WithDbAsync(async db => await db.Tasks.CountAsync(t => keys.Contains(t.IdempotencyKey!)) == keys.Count),
            Timeout, "every submission to become a task");
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.Tasks.AnyAsync(t => t.Id == reported && t.Status == TaskItemStatus.Success)),
            Timeout, "the reported task to succeed");
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.ReportDate == new DateOnly(2020, 3, 12))),
            Timeout, "the report's email");

        var created = await api.WithDbAsync(db => db.Tasks.Where(t => keys.Contains(t.IdempotencyKey!)).Select(t => t.IdempotencyKey!).ToListAsync());
        Assert.Equal(keys.Order(), created.Order());
        Assert.Equal(1, await api.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.ReportDate == new DateOnly(2020, 3, 12))));
        foreach (var deadLetterTopic in new[] { KafkaTopics.TaskRequestsDeadLetter, KafkaTopics.TaskStatusDeadLetter, KafkaTopics.ReportsDueDeadLetter })
        {
            Assert.Equal(0, await CountRecordsAsync(deadLetterTopic));
        }
    }

    /// <summary>How many records <paramref name="topic"/> holds: read from the beginning to the end of every partition.</summary>
    private Task<int> CountRecordsAsync(string topic) => OwnThread.RunAsync(() =>
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = api.Kafka.BootstrapServers, GroupId = $"count-{Guid.NewGuid():N}", EnablePartitionEof = true, FetchWaitMaxMs = 10,
        }).Build();
        consumer.Assign(Enumerable.Range(0, PipelineKafka.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var (records, ended) = (0, 0);
        var deadline = DateTime.UtcNow + Timeout;
        while (ended < PipelineKafka.Partitions && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
            {
                (records, ended) = result.IsPartitionEOF ? (records, ended + 1) : (records + 1, ended);
            }
        }
        Assert.Equal(PipelineKafka.Partitions, ended);
        return records;
    });
}

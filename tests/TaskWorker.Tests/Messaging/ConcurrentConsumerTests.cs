using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Messaging;
using TaskWorker.Work;

namespace TaskWorker.Tests.Messaging;

/// <summary>The concurrent loop with a handler that fails on one record, as a handler bug would, against the embedded broker.</summary>
public sealed class ConcurrentConsumerTests
{
    private const string GroupId = "concurrent-consumer-tests";
    private static readonly TopicPartition Partition0 = new(KafkaTopics.TaskWork, 0);

    [Fact]
    public async Task HandleAsync_HandlerThrows_DeadLettersTheRecordWithTheExceptionAndCommitsPastIt()
    {
        using var kafka = new KafkaFixture();
        using var producer = kafka.CreateProducer();
        using var deadLetters = new TopicReader(kafka, KafkaTopics.TaskWorkDeadLetter);
        foreach (var value in new[] { "poison", "a", "b" })
        {
            await producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes(value) });
        }
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var handler = new FailingOnPoison();
        using var loop = new Loop(kafka, handler, new DeadLetters(
            new DeadLetterProducer(producer, new ProducerConfig()), new WorkerMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<DeadLetters>.Instance));

        await loop.StartAsync(CancellationToken.None);

        var deadLetter = Assert.Single(await deadLetters.WaitForAsync(r => r.Header(DeadLetterHeaders.Source) == $"{KafkaTopics.TaskWork}/0/0"));
        Assert.Equal("System.InvalidOperationException: cannot handle 'poison'", deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Equal("poison", Encoding.UTF8.GetString(deadLetter.Message.Value));
        await Eventually.UntilAsync(() => Task.FromResult(handler.Handled.Count == 2), KafkaFixture.Patience, "the records behind the poison");
        // Before, the failed record stayed uncommitted for good: the committed offset never passed it.
        await Eventually.UntilAsync(async () => await kafka.CommittedOffsetAsync(GroupId, Partition0) == 3, KafkaFixture.Patience, "the offset past all three");
        await loop.StopAsync(CancellationToken.None);
    }

    private sealed class FailingOnPoison : IRecordHandler
    {
        public ConcurrentBag<string> Handled { get; } = [];

        public Task HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
        {
            var value = Encoding.UTF8.GetString(record.Message.Value);
            if (value == "poison")
            {
                throw new InvalidOperationException("cannot handle 'poison'");
            }
            Handled.Add(value);
            return Task.CompletedTask;
        }
    }

    private sealed class Loop(KafkaFixture kafka, IRecordHandler handler, DeadLetters deadLetters) : ConcurrentConsumer(
        KafkaTopics.TaskWork,
        KafkaTopics.TaskWorkDeadLetter,
        new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = GroupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = 100,
        },
        handler,
        deadLetters,
        new ConcurrencyLimits(MaxInFlight: 4, ShutdownGrace: TimeSpan.FromSeconds(1)),
        NullLogger.Instance);
}

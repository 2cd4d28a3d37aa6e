using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using EmbeddedKafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Tasks.Testing;

namespace ServiceDefaults.Tests.Kafka;

/// <summary>
/// The batch loop against the embedded broker over its socket: records are produced before the loop starts, so its
/// first poll takes them as one batch, and the handler below fails the way a real one would.
/// </summary>
public sealed class BatchConsumerTests : IDisposable
{
    private const string Topic = "work";
    private const string DeadLetterTopic = "work.dlq";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly KafkaMockCluster _cluster = KafkaMockCluster.Start();
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly List<IDisposable> _disposables = [];

    public BatchConsumerTests()
    {
        _cluster.CreateTopic(Topic, 1);
        _cluster.CreateTopic(DeadLetterTopic, 1);
        _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            // Lets the test write a record larger than the service's producer accepts, as another producer could.
            MessageMaxBytes = 4_000_000,
        }).Build();
    }

    [Fact]
    public async Task HandleBatch_PoisonRecordAmongGoodOnes_GoodOnesAppliedAndPoisonDeadLetteredWithTheException()
    {
        await ProduceAsync("a", "b", "poison", "c", "d");
        using var loop = new RecordingConsumer(this, failuresBeforeSuccess: 0);

        await loop.StartAsync(CancellationToken.None);

        await Eventually.UntilAsync(() => Task.FromResult(loop.Applied.Count == 4), Timeout, "the four good records");
        Assert.Equal(["a", "b", "c", "d"], loop.Applied.Order());
        var deadLetter = await ReadDeadLetterAsync();
        Assert.Equal("poison", Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.Equal("System.InvalidOperationException: cannot apply 'poison'", deadLetter.Header(DeadLetterExtensions.ReasonHeader));
        Assert.Equal($"{Topic}/0/2", deadLetter.Header(DeadLetterExtensions.SourceHeader));
        Assert.Equal(1, loop.DeadLettered);
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task HandleBatch_OutageWrappedAsEfWrapsIt_RetriesTheWholeBatchAndDeadLettersNothing()
    {
        await ProduceAsync("a", "b", "c");
        using var loop = new RecordingConsumer(this, failuresBeforeSuccess: 3);

        await loop.StartAsync(CancellationToken.None);

        // Taken for poison, the outage would split the batch and dead-letter records that were never at fault.
        await Eventually.UntilAsync(() => Task.FromResult(loop.Applied.Count == 3), Timeout, "the records after the outage");
        Assert.Equal(["a", "b", "c"], loop.Applied.Order());
        Assert.Equal(0, loop.DeadLettered);
        // The batch the outage met was retried whole, never split: the three failed calls and the fourth that applied it.
        var sizes = loop.BatchSizes.ToArray();
        Assert.All(sizes[..4], size => Assert.Equal(sizes[0], size));
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DeadLetter_RecordOfAboutOneMegabyte_GoesAsATruncatedCopyNamingItsPositionAndSize()
    {
        var large = new byte[1_000_000];
        Array.Fill(large, (byte)'x');
        "reject"u8.CopyTo(large);
        await _producer.ProduceAsync(Topic, new Message<byte[]?, byte[]>
        {
            Key = "k"u8.ToArray(), Value = large, Headers = [new Header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8.ToArray())],
        });
        using var loop = new RecordingConsumer(this, failuresBeforeSuccess: 0);

        await loop.StartAsync(CancellationToken.None);

        var deadLetter = await ReadDeadLetterAsync();
        Assert.Equal("true", deadLetter.Header(DeadLetterExtensions.TruncatedHeader));
        Assert.Equal((1 + 1_000_000 + "traceparent".Length + 55).ToString(), deadLetter.Header(DeadLetterExtensions.OriginalSizeHeader));
        Assert.Equal($"{Topic}/0/0", deadLetter.Header(DeadLetterExtensions.SourceHeader));
        Assert.Equal("rejected: starts with 'reject'", deadLetter.Header(DeadLetterExtensions.ReasonHeader));
        Assert.Equal("k", Encoding.UTF8.GetString(deadLetter.Message.Key!));
        Assert.InRange(deadLetter.Message.Value.Length, 990_000, DeadLetterExtensions.DefaultMaxMessageBytes - 1024);
        Assert.Equal(large[..deadLetter.Message.Value.Length], deadLetter.Message.Value);
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void DeadLetterOf_SmallRecord_KeepsKeyValueAndHeadersAndAddsReasonAndSource()
    {
        var record = new ConsumeResult<byte[]?, byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topic, 3, 42),
            Message = new Message<byte[]?, byte[]> { Key = "k"u8.ToArray(), Value = "v"u8.ToArray(), Headers = [new Header("h", "1"u8.ToArray())] },
        };

        var deadLetter = DeadLetterExtensions.DeadLetterOf(record, "why", DeadLetterExtensions.DefaultMaxMessageBytes);

        Assert.Equal(("k", "v"), (Encoding.UTF8.GetString(deadLetter.Key!), Encoding.UTF8.GetString(deadLetter.Value)));
        Assert.Equal(["dlq-reason=why", "dlq-source=work/3/42", "h=1"],
            deadLetter.Headers.Select(h => $"{h.Key}={Encoding.UTF8.GetString(h.GetValueBytes())}").Order());
    }

    private async Task ProduceAsync(params string[] values)
    {
        foreach (var value in values)
        {
            await _producer.ProduceAsync(Topic, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes(value) });
        }
    }

    private async Task<ConsumeResult<byte[]?, byte[]>> ReadDeadLetterAsync()
    {
        using var reader = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}", FetchWaitMaxMs = 10,
        }).Build();
        reader.Assign(new TopicPartitionOffset(DeadLetterTopic, 0, Offset.Beginning));
        return await reader.ConsumeFirstAsync(_ => true, Timeout);
    }

    public void Dispose()
    {
        _disposables.ForEach(d => d.Dispose());
        _producer.Dispose();
        _cluster.Dispose();
    }

    /// <summary>
    /// Applies records by remembering them. A value "poison" fails the batch it is in, as a handler bug would; a value
    /// starting "reject" is rejected by the handler; the first <c>failuresBeforeSuccess</c> calls fail as EF reports a
    /// connection reset by PostgreSQL.
    /// </summary>
    private sealed class RecordingConsumer(BatchConsumerTests test, int failuresBeforeSuccess)
        : BatchConsumer(Consumer(test), new DeadLetterProducer(ServiceProducer(test), ServiceProducerConfig(test)), NullLogger.Instance)
    {
        private int _calls;
        private int _deadLettered;

        public ConcurrentBag<string> Applied { get; } = [];

        public ConcurrentQueue<int> BatchSizes { get; } = new();

        public int DeadLettered => Volatile.Read(ref _deadLettered);

        protected override string Topic => BatchConsumerTests.Topic;

        protected override string DeadLetterTopic => BatchConsumerTests.DeadLetterTopic;

        protected override void CountDeadLettered() => Interlocked.Increment(ref _deadLettered);

        private static IConsumer<byte[]?, byte[]> Consumer(BatchConsumerTests test) => new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = test._cluster.BootstrapServers,
            GroupId = $"group-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
        }).Build();

        // A service's producer keeps librdkafka's default size limit (1,000,000 bytes), unlike the test's own.
        private static ProducerConfig ServiceProducerConfig(BatchConsumerTests test) => new() { BootstrapServers = test._cluster.BootstrapServers };

        private static IProducer<byte[]?, byte[]> ServiceProducer(BatchConsumerTests test)
        {
            var producer = new ProducerBuilder<byte[]?, byte[]>(ServiceProducerConfig(test)).Build();
            test._disposables.Add(producer);
            return producer;
        }

        protected override Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
            IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
        {
            BatchSizes.Enqueue(batch.Count);
            if (Interlocked.Increment(ref _calls) <= failuresBeforeSuccess)
            {
                throw new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
                    new IOException("Unable to read data from the transport connection: Connection reset by peer."));
            }
            var values = batch.Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToList();
            if (values.Contains("poison"))
            {
                throw new InvalidOperationException("cannot apply 'poison'");
            }
            var rejected = batch.Where(r => r.Message.Value.AsSpan().StartsWith("reject"u8))
                .Select(r => new RejectedRecord(r, "rejected: starts with 'reject'")).ToList();
            foreach (var value in values.Where(v => !v.StartsWith("reject", StringComparison.Ordinal)))
            {
                Applied.Add(value);
            }
            return Task.FromResult<IReadOnlyCollection<RejectedRecord>>(rejected);
        }
    }
}

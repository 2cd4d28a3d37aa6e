using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;
using TaskWorker.Messaging;

namespace TaskWorker.Delivery;

/// <summary>
/// Reads a compacted changes topic (mailings.changes, campaigns.changes) in full, from the beginning of every partition,
/// into its <see cref="LatestChanges{TChange}"/>, and keeps reading. Every instance must see every change, so the
/// consumer assigns itself all partitions instead of sharing a consumer group; it commits nothing (ServiceDefaults'
/// consumer setup requires a group id, which it never joins).
/// </summary>
internal sealed class ChangesListener<TChange>(
    ConsumerConfig consumerConfig,
    LatestChanges<TChange> changes,
    ILogger<ChangesListener<TChange>> logger) : BackgroundService where TChange : class
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MetadataRetryDelay = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume blocks, so the loop gets a thread of its own rather than one of the pool's.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(consumerConfig).WithLogging(logger).Build();
        var partitions = PartitionsOf(consumer, stoppingToken);
        if (partitions.Count == 0)
        {
            return;
        }
        consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(changes.Topic, partition, Offset.Beginning)));
        try
        {
            ReadUntilStopped(consumer, partitions.Count, stoppingToken);
        }
        finally
        {
            consumer.Close();
        }
    }

    private void ReadUntilStopped(IConsumer<byte[]?, byte[]> consumer, int partitionCount, CancellationToken stoppingToken)
    {
        var atEnd = new HashSet<Partition>();
        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]>? record;
            try
            {
                record = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                logger.ConsumeFailed(e.Error.Code, e.Error.Reason);
                continue;
            }
            if (record is null)
            {
                continue;
            }
            // enable.partition.eof: each partition announces reaching its end, empty partitions included.
            if (record.IsPartitionEOF)
            {
                if (atEnd.Add(record.Partition) && atEnd.Count == partitionCount && !changes.CaughtUp.IsCompleted)
                {
                    changes.MarkCaughtUp();
                    logger.ChangesCaughtUp(changes.Topic, partitionCount);
                }
                continue;
            }
            Apply(record);
        }
    }

    private void Apply(ConsumeResult<byte[]?, byte[]> record)
    {
        if (record.Message.Value is null or [])
        {
            if (record.Message.Key is { } key && long.TryParse(Encoding.UTF8.GetString(key), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                changes.Forget(id);
            }
            return;
        }
        try
        {
            var change = MessageJson.Deserialize<TChange>(record.Message.Value);
            if (changes.IdOf(change) <= 0)
            {
                logger.ChangeUnreadable(record.Position(), "it has no id");
                return;
            }
            changes.Apply(change);
        }
        catch (JsonException e)
        {
            // No dead-letter topic: the record stays where it is for every reader, and TaskApi's next change of the
            // entity supersedes it.
            logger.ChangeUnreadable(record.Position(), e.Message);
        }
    }

    /// <summary>The topic's partitions, asked until the cluster knows the topic; none when stopped first.</summary>
    private List<Partition> PartitionsOf(IConsumer<byte[]?, byte[]> consumer, CancellationToken stoppingToken)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var topic = admin.GetMetadata(changes.Topic, MetadataTimeout).Topics
                    .SingleOrDefault(t => t.Topic == changes.Topic);
                if (topic is { Error.IsError: false, Partitions.Count: > 0 })
                {
                    return topic.Partitions.Select(p => new Partition(p.PartitionId)).ToList();
                }
                logger.ChangesTopicMissing(changes.Topic, topic?.Error.Reason ?? "not in the metadata");
            }
            catch (KafkaException e)
            {
                logger.ChangesTopicMissing(changes.Topic, e.Error.Reason);
            }
            stoppingToken.WaitHandle.WaitOne(MetadataRetryDelay);
        }
        return [];
    }
}

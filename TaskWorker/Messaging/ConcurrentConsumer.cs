using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;

namespace TaskWorker.Messaging;

/// <summary>Handles one record of a <see cref="ConcurrentConsumer"/>; many run at once.</summary>
internal interface IRecordHandler
{
    /// <summary>
    /// Returns when the record is done with, so its offset may be committed. Outages are waited out inside (through
    /// <see cref="Persistently"/>), so an exception that escapes is taken for what a repeat would repeat: the record is
    /// dead-lettered with it as the reason. Runs under the record's consumer span, which is <c>Activity.Current</c>.
    /// </summary>
    Task HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken);
}

/// <summary>How many records a <see cref="ConcurrentConsumer"/> handles at once, and how long a stopping one lets them finish.</summary>
internal sealed record ConcurrencyLimits(int MaxInFlight, TimeSpan ShutdownGrace);

/// <summary>
/// Consumes one topic on a thread of its own and hands every record to a concurrent run of its handler, so a slow
/// record never holds up the records behind it in its partition. A record whose handler throws goes to
/// its dead-letter topic with the exception as the reason, and its offset moves on: a failure that escaped
/// the handler's own outage retries would fail again, and holding it would stall the partition for good.
/// </summary>
/// <remarks>
/// Only the loop thread touches the consumer, the offset trackers and the run count (the rebalance handlers run
/// inside Consume and Close, on that thread). Runs report back through a queue the loop drains between polls;
/// it then stores each partition's offset up to its lowest unfinished record, and librdkafka commits what was
/// stored every auto.commit.interval.ms, on revoke and on Close.
/// </remarks>
internal abstract class ConcurrentConsumer(
    string topic,
    string deadLetterTopic,
    ConsumerConfig consumerConfig,
    IRecordHandler handler,
    DeadLetters deadLetters,
    ConcurrencyLimits limits,
    ILogger logger) : BackgroundService
{
    // How long one poll waits for a record; it also bounds how late the loop notices a stop or a finished run.
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    // Cancelled runs unwind at once; this only bounds the wait should one not.
    private static readonly TimeSpan CancelledRunsTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<TopicPartition, PartitionOffsetTracker> _trackers = [];
    private readonly List<HeldRecord> _held = [];
    private readonly BlockingCollection<RunCompletion> _completions = new();
    private readonly CancellationTokenSource _runsCancellation = new();
    private int _running;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume blocks, so the loop gets a thread of its own rather than one of the pool's.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public override void Dispose()
    {
        _runsCancellation.Dispose();
        _completions.Dispose();
        base.Dispose();
    }

    private void Run(CancellationToken stoppingToken)
    {
        // Built here rather than resolved: its rebalance handlers work on this loop's state.
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(consumerConfig)
            .WithLogging(logger)
            .SetPartitionsAssignedHandler(OnPartitionsAssigned)
            .SetPartitionsRevokedHandler(OnPartitionsRevoked)
            .SetPartitionsLostHandler(OnPartitionsLost)
            .Build();
        consumer.Subscribe(topic);
        try
        {
            ConsumeUntilStopped(consumer, stoppingToken);
        }
        finally
        {
            FinishRuns(consumer);
            Close(consumer);
        }
    }

    private void ConsumeUntilStopped(IConsumer<byte[]?, byte[]> consumer, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ApplyCompletions(consumer);
            StartHeldRecords(consumer);

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
            // A fatal error leaves the consumer unusable: it propagates, Run closes up, and the host stops, so
            // the process is restarted instead of staying up without consuming.

            if (record is not null)
            {
                Accept(consumer, record);
            }
        }
    }

    private void Accept(IConsumer<byte[]?, byte[]> consumer, ConsumeResult<byte[]?, byte[]> record)
    {
        var tracker = _trackers[record.TopicPartition];
        tracker.Consumed(record.Offset.Value);
        if (_running < limits.MaxInFlight)
        {
            Start(record, tracker);
            return;
        }

        // At MaxInFlight: keep the record (it is tracked, so nothing after it is committed) and pause its partition
        // until a run ends. Each partition thus stops after at most one record, and the consumer stays in its group.
        _held.Add(new HeldRecord(record, tracker));
        consumer.Pause([record.TopicPartition]);
    }

    private void StartHeldRecords(IConsumer<byte[]?, byte[]> consumer)
    {
        while (_held.Count > 0 && _running < limits.MaxInFlight)
        {
            var held = _held[0];
            _held.RemoveAt(0);
            Start(held.Record, held.Tracker);
            consumer.Resume([held.Record.TopicPartition]);
        }
    }

    private void Start(ConsumeResult<byte[]?, byte[]> record, PartitionOffsetTracker tracker)
    {
        _running++;
        var cancellationToken = _runsCancellation.Token;
        _ = Task.Run(async () =>
        {
            var finished = false;
            try
            {
                finished = await HandleAsync(record, cancellationToken);
            }
            finally
            {
                _completions.Add(new RunCompletion(tracker, record.Offset.Value, finished));
            }
        });
    }

    /// <summary>True when the record is done with (handled or dead-lettered); false when it was abandoned at shutdown, so it stays uncommitted.</summary>
    private async Task<bool> HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
    {
        // The consumer span covers the whole handling and what the handler publishes are its children, so the trace
        // continues from the traceparent the record carries.
        using var activity = KafkaTracing.StartProcess(record);
        try
        {
            try
            {
                await handler.HandleAsync(record, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing awaits a run, so this is the last place its failure can be seen.
                activity?.AddException(e);
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                logger.RecordFailed(e, record.Position());
                await deadLetters.PublishAsync(deadLetterTopic, record, Outages.Describe(e), cancellationToken);
            }
            return true;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Abandoned at shutdown");
            logger.RecordAbandoned(record.Position());
            return false;
        }
    }

    private void ApplyCompletions(IConsumer<byte[]?, byte[]> consumer)
    {
        var any = false;
        while (_completions.TryTake(out var completion))
        {
            Apply(completion);
            any = true;
        }
        if (any)
        {
            StoreAdvancedOffsets(consumer);
        }
    }

    private void Apply(RunCompletion completion)
    {
        _running--;
        // The completion marks the tracker its record was consumed under. Once that partition is revoked or lost,
        // the tracker is no longer in _trackers, so a late run cannot move the offset of a later assignment.
        if (completion.Finished)
        {
            completion.Tracker.Finished(completion.Offset);
        }
    }

    private void StoreAdvancedOffsets(IConsumer<byte[]?, byte[]> consumer)
    {
        foreach (var (partition, tracker) in _trackers)
        {
            if (!tracker.TryTakeAdvancedOffset(out var offset))
            {
                continue;
            }
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(partition, offset));
            }
            catch (KafkaException e)
            {
                // The next advance stores a later offset, which covers this one.
                logger.StoreOffsetFailed(e, partition.Topic, partition.Partition.Value, offset);
            }
        }
    }

    private void OnPartitionsAssigned(IConsumer<byte[]?, byte[]> consumer, List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _trackers[partition] = new PartitionOffsetTracker();
        }
        // Cooperative rebalancing also announces empty increments; they change nothing worth a log line.
        if (partitions.Count > 0)
        {
            logger.PartitionsAssigned(topic, Describe(partitions));
        }
    }

    private void OnPartitionsRevoked(IConsumer<byte[]?, byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        // librdkafka commits the stored offsets of revoked partitions right after this handler: store what has
        // finished so far. Runs still going on them keep going, but whatever they finish is no longer ours to commit.
        ApplyCompletions(consumer);
        Forget(consumer, partitions);
        logger.PartitionsRevoked(topic, Describe(partitions.Select(p => p.TopicPartition)));
    }

    private void OnPartitionsLost(IConsumer<byte[]?, byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        // Another member may own these partitions already; nothing is stored for them.
        Forget(consumer, partitions);
        logger.PartitionsLost(topic, Describe(partitions.Select(p => p.TopicPartition)));
    }

    private void Forget(IConsumer<byte[]?, byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions.Select(p => p.TopicPartition))
        {
            _trackers.Remove(partition);
            // A held record was never started; the partition's next owner gets it again. Its partition is resumed
            // because librdkafka keeps an application's pause across a revoke and a later re-assignment.
            if (_held.RemoveAll(held => held.Record.TopicPartition == partition) > 0)
            {
                consumer.Resume([partition]);
            }
        }
    }

    /// <summary>Lets runs finish within the grace period, storing their offsets, and abandons the rest uncommitted.</summary>
    private void FinishRuns(IConsumer<byte[]?, byte[]> consumer)
    {
        if (_running == 0)
        {
            return;
        }
        logger.WaitingForRuns(topic, _running, limits.ShutdownGrace);
        if (WaitForRuns(consumer, limits.ShutdownGrace))
        {
            return;
        }
        logger.AbandoningRuns(topic, _running);
        _runsCancellation.Cancel();
        WaitForRuns(consumer, CancelledRunsTimeout);
    }

    /// <summary>True when every run ended within <paramref name="timeout"/>.</summary>
    private bool WaitForRuns(IConsumer<byte[]?, byte[]> consumer, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (_running > 0)
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || !_completions.TryTake(out var completion, remaining))
            {
                return false;
            }
            Apply(completion);
            StoreAdvancedOffsets(consumer);
        }
        return true;
    }

    private void Close(IConsumer<byte[]?, byte[]> consumer)
    {
        try
        {
            // Revokes the assignment (the revoke handler stores what finished), commits and leaves the group, so
            // the partitions move to another member at once instead of after the session timeout.
            consumer.Close();
        }
        catch (KafkaException e)
        {
            logger.CloseFailed(e);
        }
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(p => p.Partition.Value).Order());

    private readonly record struct HeldRecord(ConsumeResult<byte[]?, byte[]> Record, PartitionOffsetTracker Tracker);

    private readonly record struct RunCompletion(PartitionOffsetTracker Tracker, long Offset, bool Finished);
}

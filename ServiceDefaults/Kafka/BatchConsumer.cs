using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>A record a consumer cannot use, and why: it goes to the consumer's dead-letter topic with the reason.</summary>
public sealed record RejectedRecord(ConsumeResult<byte[]?, byte[]> Record, string Reason);

/// <summary>
/// The Confluent consume loop for handlers that work a batch at a time (one database round trip for many messages):
/// consume up to <see cref="MaxBatchSize"/> messages, hand them to <see cref="HandleBatchAsync"/>, dead-letter what it
/// rejected, and only then store the offsets. Breaks on fatal errors and closes the consumer (committing what was
/// stored) on stop.
/// </summary>
/// <remarks>
/// A failing batch is told apart by <see cref="IsOutage"/>. An outage (a broker, database or store unreachable) is
/// retried with backoff, the whole batch held, so nothing is lost and nothing is stored ahead of the work. Any other
/// failure would repeat with the same records: the batch is split in halves, each handled in turn (in partition order),
/// until the record that fails alone is found; it is dead-lettered with the failure (<see cref="Outages.Describe"/>)
/// and the records beside it are applied. Handlers are idempotent, so the records a failed half had applied already
/// are applied again harmlessly. A handler bug that fails every record dead-letters each of them, with the reason.
/// </remarks>
public abstract partial class BatchConsumer(IConsumer<byte[]?, byte[]> consumer, DeadLetterProducer deadLetters, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>The topic the loop reads, as its logs name it.</summary>
    protected abstract string Topic { get; }

    /// <summary>The topics the loop subscribes to: <see cref="Topic"/> alone, unless a loop reads several.</summary>
    protected virtual IReadOnlyList<string> Topics => [Topic];

    /// <summary>Where rejected and poison records go (<c>KafkaTopics.*DeadLetter</c>).</summary>
    protected abstract string DeadLetterTopic { get; }

    protected virtual int MaxBatchSize => 1000;

    /// <summary>
    /// Applies every usable record of the batch and returns the others, each with why it cannot be used (they are
    /// dead-lettered once this returns). Throws to fail the batch: see the class remarks for what follows.
    /// </summary>
    protected abstract Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken);

    /// <summary>Counts a dead-lettered record in the feature's metrics.</summary>
    protected abstract void CountDeadLettered();

    /// <summary>True when <paramref name="exception"/> is an outage, to be waited out; false when the records caused it.</summary>
    protected virtual bool IsOutage(Exception exception) => Outages.IsOutage(exception);

    // Consume blocks its thread, so the loop gets one of its own and stays on it: it waits for each batch's handler
    // rather than awaiting it, since an await would continue the loop (and block in Consume) on a thread-pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        consumer.Subscribe(Topics);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = ConsumeBatch();
                if (batch.Count == 0)
                {
                    continue;
                }
                HandleAsync(batch, stoppingToken).GetAwaiter().GetResult();
                StoreOffsets(batch);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped mid-batch: its offsets are not stored, so the group's next owner handles it again.
        }
        catch (ConsumeException e) when (e.Error.IsFatal)
        {
            LogFatal(e, Topic);
        }
        finally
        {
            consumer.Close();
        }
    }

    private List<ConsumeResult<byte[]?, byte[]>> ConsumeBatch()
    {
        var batch = new List<ConsumeResult<byte[]?, byte[]>>();
        var wait = TimeSpan.FromMilliseconds(100);
        while (batch.Count < MaxBatchSize)
        {
            try
            {
                // Wait for the first message; take whatever else has already arrived without waiting.
                if (consumer.Consume(wait) is not { IsPartitionEOF: false } result)
                {
                    break;
                }
                batch.Add(result);
                wait = TimeSpan.Zero;
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                LogConsumeError(e, Topic);
                break;
            }
        }
        return batch;
    }

    /// <summary>Handles the batch through outages, bisecting it on any other failure; returns once every record is applied or dead-lettered.</summary>
    private async Task HandleAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken stoppingToken)
    {
        IReadOnlyCollection<RejectedRecord> rejected;
        try
        {
            rejected = await WhileOutageAsync(() => HandleBatchAsync(batch, stoppingToken), batch.Count, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            if (batch.Count > 1)
            {
                LogSplitting(e, Topic, batch.Count);
                var half = batch.Count / 2;
                await HandleAsync(batch.Take(half).ToList(), stoppingToken);
                await HandleAsync(batch.Skip(half).ToList(), stoppingToken);
                return;
            }
            rejected = [new RejectedRecord(batch[0], Outages.Describe(e))];
        }
        if (rejected.Count > 0)
        {
            await WhileOutageAsync(() => DeadLetterAsync(rejected, stoppingToken), rejected.Count, stoppingToken);
        }
    }

    private async Task<bool> DeadLetterAsync(IReadOnlyCollection<RejectedRecord> rejected, CancellationToken cancellationToken)
    {
        await Task.WhenAll(rejected.Select(r => deadLetters.PublishAsync(DeadLetterTopic, r.Record, r.Reason, cancellationToken)));
        foreach (var (record, reason) in rejected)
        {
            CountDeadLettered();
            LogDeadLettered(record.TopicPartitionOffset.ToString(), DeadLetterTopic, reason);
        }
        return true;
    }

    /// <summary>Runs <paramref name="operation"/> until it succeeds, retrying outages with backoff; any other failure propagates.</summary>
    private async Task<T> WhileOutageAsync<T>(Func<Task<T>> operation, int count, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && IsOutage(e))
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, attempt - 1)));
                LogBatchFailed(e, Topic, count, attempt, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private void StoreOffsets(List<ConsumeResult<byte[]?, byte[]>> batch)
    {
        foreach (var last in batch.GroupBy(r => r.TopicPartition).Select(p => p.MaxBy(r => r.Offset.Value)!))
        {
            try
            {
                consumer.StoreOffset(last);
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
            {
                // The partition was revoked while the batch was handled; its new owner will see these messages
                // again, which the idempotent handlers tolerate.
                LogRevoked(last.TopicPartition.ToString());
            }
        }
    }

    [LoggerMessage(LogLevel.Critical, "Fatal Kafka error consuming {Topic}; the consumer stops")]
    private partial void LogFatal(Exception exception, string topic);

    [LoggerMessage(LogLevel.Warning, "Error consuming {Topic}")]
    private partial void LogConsumeError(Exception exception, string topic);

    [LoggerMessage(LogLevel.Warning, "Handling {Count} messages from {Topic} failed on an outage (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogBatchFailed(Exception exception, string topic, int count, int attempt, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "Handling {Count} messages from {Topic} failed, not on an outage; splitting the batch to find the record that fails")]
    private partial void LogSplitting(Exception exception, string topic, int count);

    [LoggerMessage(LogLevel.Warning, "Record at {Position} dead-lettered to {DeadLetterTopic}: {Reason}")]
    private partial void LogDeadLettered(string position, string deadLetterTopic, string reason);

    [LoggerMessage(LogLevel.Debug, "Offset not stored for revoked partition {Partition}")]
    private partial void LogRevoked(string partition);
}

using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Confluent consume loop for handlers that work a batch at a time (one database round trip for many
/// messages): consume up to <see cref="MaxBatchSize"/> messages, hand them to <see cref="HandleBatchAsync"/>,
/// retry that with backoff until it succeeds, and only then store the offsets. Breaks on fatal errors and
/// closes the consumer (committing what was stored) on stop.
/// </summary>
public abstract partial class BatchConsumer(IConsumer<byte[]?, byte[]> consumer, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    protected abstract string Topic { get; }
    protected virtual int MaxBatchSize => 1000;

    /// <summary>Handles every message of the batch: stores it, or dead-letters it with a reason. Throws to have the batch retried.</summary>
    protected abstract Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken);

    // Consume blocks its thread, so the loop gets one of its own and stays on it: it waits for each batch's handler
    // rather than awaiting it, since an await would continue the loop (and block in Consume) on a thread-pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        consumer.Subscribe(Topic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = ConsumeBatch();
                if (batch.Count == 0)
                {
                    continue;
                }
                HandleUntilDoneAsync(batch, stoppingToken).GetAwaiter().GetResult();
                StoreOffsets(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
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

    private async Task HandleUntilDoneAsync(List<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await HandleBatchAsync(batch, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, attempt - 1)));
                LogBatchFailed(e, Topic, batch.Count, attempt, delay);
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

    [LoggerMessage(LogLevel.Warning, "Handling {Count} messages from {Topic} failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogBatchFailed(Exception exception, string topic, int count, int attempt, TimeSpan delay);

    [LoggerMessage(LogLevel.Debug, "Offset not stored for revoked partition {Partition}")]
    private partial void LogRevoked(string partition);
}

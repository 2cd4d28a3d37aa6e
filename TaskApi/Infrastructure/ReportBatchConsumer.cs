using Confluent.Kafka;

namespace TaskApi.Infrastructure;

/// <summary>
/// The loop of a consumer of workers' reports about messages (SMS, email): each record is read or dead-lettered with
/// the reason, the batch's reports are folded to one per message (<see cref="Supersedes"/>), each with the traceparent
/// of its record's processing span, and then applied together (<see cref="ApplyAsync"/>, one transaction).
/// </summary>
public abstract partial class ReportBatchConsumer<TReport>(
    IConsumer<byte[]?, byte[]> consumer,
    IProducer<byte[]?, byte[]> producer,
    ILogger logger) : BatchConsumer(consumer, logger) where TReport : class
{
    private readonly ILogger _logger = logger;

    protected abstract string DeadLetterTopic { get; }

    /// <summary>The span tag naming the message a record reports on ("sms.message_id").</summary>
    protected abstract string MessageIdTag { get; }

    /// <summary>The reason a record's value cannot be used, or null when <paramref name="report"/> holds it.</summary>
    protected abstract string? Read(byte[]? value, out TReport? report);

    protected abstract long MessageIdOf(TReport report);

    /// <summary>True when <paramref name="report"/>, a later record of the same message, is the one to apply.</summary>
    protected abstract bool Supersedes(TReport report, TReport kept);

    /// <summary>Counts a dead-lettered record in the feature's metrics.</summary>
    protected abstract void CountDeadLettered();

    protected abstract Task ApplyAsync(Dictionary<long, (TReport Report, string? TraceParent)> reports, CancellationToken cancellationToken);

    protected sealed override async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var reports = new Dictionary<long, (TReport Report, string? TraceParent)>();
        foreach (var record in batch)
        {
            using var activity = KafkaTracing.StartProcess(record);
            if (Read(record.Message.Value, out var report) is { } reason)
            {
                await producer.DeadLetterAsync(DeadLetterTopic, record, reason, cancellationToken);
                CountDeadLettered();
                LogRejected(record.TopicPartitionOffset.ToString(), reason);
                continue;
            }
            var messageId = MessageIdOf(report!);
            activity?.SetTag(MessageIdTag, messageId);
            if (!reports.TryGetValue(messageId, out var kept) || Supersedes(report!, kept.Report))
            {
                reports[messageId] = (report!, activity?.Id);
            }
        }
        if (reports.Count > 0)
        {
            await ApplyAsync(reports, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Report at {Position} dead-lettered: {Reason}")]
    private partial void LogRejected(string position, string reason);
}

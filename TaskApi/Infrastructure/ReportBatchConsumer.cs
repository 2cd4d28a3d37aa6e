using Confluent.Kafka;

namespace TaskApi.Infrastructure;

/// <summary>
/// The loop of a consumer of workers' reports about messages (SMS, email): each record is read or dead-lettered with
/// the reason, the batch's reports are folded to one per message (<see cref="Supersedes"/>), each with the traceparent
/// of its record's processing span, and then applied together (<see cref="ApplyAsync"/>, one transaction).
/// </summary>
public abstract class ReportBatchConsumer<TReport>(
    IConsumer<byte[]?, byte[]> consumer,
    DeadLetterProducer deadLetters,
    ILogger logger) : BatchConsumer(consumer, deadLetters, logger) where TReport : class
{
    /// <summary>The span tag naming the message a record reports on ("sms.message_id").</summary>
    protected abstract string MessageIdTag { get; }

    /// <summary>The reason a record's value cannot be used, or null when <paramref name="report"/> holds it.</summary>
    protected abstract string? Read(byte[]? value, out TReport? report);

    protected abstract long MessageIdOf(TReport report);

    /// <summary>True when <paramref name="report"/>, a later record of the same message, is the one to apply.</summary>
    protected abstract bool Supersedes(TReport report, TReport kept);

    protected abstract Task ApplyAsync(Dictionary<long, (TReport Report, string? TraceParent)> reports, CancellationToken cancellationToken);

    protected sealed override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRecord>();
        var reports = new Dictionary<long, (TReport Report, string? TraceParent)>();
        foreach (var record in batch)
        {
            using var activity = KafkaTracing.StartProcess(record);
            if (Read(record.Message.Value, out var report) is { } reason)
            {
                rejected.Add(new RejectedRecord(record, reason));
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
        return rejected;
    }
}

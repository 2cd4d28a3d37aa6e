using System.Diagnostics;
using Confluent.Kafka;
using Tasks.Testing;

namespace TaskWorker.Tests;

/// <summary>Reads a whole topic from the beginning and keeps what it read, so a test can await the records it expects.</summary>
public sealed class TopicReader(KafkaFixture kafka, string topic) : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]> _consumer = kafka.CreateTopicReader(topic);
    private readonly List<ConsumeResult<byte[]?, byte[]>> _read = [];

    /// <summary>
    /// Returns the first <paramref name="count"/> records matching <paramref name="match"/> (in order within each
    /// partition) once they have been read; throws a <see cref="TimeoutException"/> if they do not arrive in time.
    /// </summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]>>> WaitForAsync(
        Func<ConsumeResult<byte[]?, byte[]>, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var read = await ReadUntilAsync(records => records.Count(match) >= count, $"{count} matching records", timeout);
        return read.Where(match).Take(count).ToList();
    }

    /// <summary>Reads until <paramref name="isDone"/> holds for everything read so far, and returns that.</summary>
    public Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]>>> ReadUntilAsync(
        Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]>>, bool> isDone, string what, TimeSpan? timeout = null) =>
        OwnThread.RunAsync(() =>
        {
            var patience = timeout ?? KafkaFixture.Patience;
            var started = Stopwatch.GetTimestamp();
            while (!isDone(_read))
            {
                var remaining = patience - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Read {_read.Count} records from {topic} in {patience}, without {what}.");
                }
                if (_consumer.Consume(remaining) is { } record)
                {
                    _read.Add(record);
                }
            }
            return (IReadOnlyList<ConsumeResult<byte[]?, byte[]>>)_read.ToList();
        });

    /// <summary>
    /// Reads until every partition was read to the end it had when called, and returns everything read; what was produced
    /// before the call is then all there.
    /// </summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]>>> ReadToEndAsync()
    {
        var ends = await OwnThread.RunAsync(() => _consumer.Assignment
            .Select(partition => (Partition: partition, End: _consumer.QueryWatermarkOffsets(partition, KafkaFixture.Patience).High.Value))
            .ToList());
        return await ReadUntilAsync(
            _ => ends.All(end => end.End == 0 || _consumer.Position(end.Partition).Value >= end.End), "every partition read to its end");
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}

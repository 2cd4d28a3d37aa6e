using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;

namespace PipelineBench;

/// <summary>Submits tasks to tasks.requests as an outside system would: a plain Confluent producer, JSON values, idempotency keys.</summary>
public static class KafkaSubmit
{
    public static IProducer<byte[]?, byte[]> Producer(string bootstrapServers) => PipelineKafka.Producer(bootstrapServers);

    /// <summary>Produces <paramref name="count"/> valid requests named "<paramref name="namePrefix"/>i" and waits until the broker has acknowledged all; returns the seconds that took.</summary>
    public static Task<double> ProduceAsync(IProducer<byte[]?, byte[]> producer, int count, string namePrefix, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            long failed = 0;
            Error? firstError = null;
            void Delivered(DeliveryReport<byte[]?, byte[]> report)
            {
                if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
                {
                    firstError = report.Error;
                }
            }
            var runId = Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < count; i++)
            {
                var message = new Message<byte[]?, byte[]>
                {
                    // Idempotency keys are visible ASCII without spaces.
                    Key = Encoding.UTF8.GetBytes($"bench-{runId}-{namePrefix.Trim()}-{i}"),
                    Value = Encoding.UTF8.GetBytes($$$"""{"name":"{{{namePrefix}}}{{{i}}}","payload":{"i":{{{i}}},"source":"bench"}}"""),
                };
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        producer.Produce(KafkaTopics.TaskRequests, message, Delivered);
                        break;
                    }
                    catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }
            var left = producer.Flush(TimeSpan.FromSeconds(120));
            if (left > 0 || failed > 0)
            {
                throw new InvalidOperationException($"{left} messages not flushed, {failed} not delivered: {firstError?.Reason}");
            }
            return clock.Elapsed.TotalSeconds;
        }, cancellationToken);
}

using System.Text;
using Confluent.Kafka;

namespace Microsoft.Extensions.Hosting;

public static class DeadLetterExtensions
{
    /// <summary>Header carrying why a record was dead-lettered (UTF-8 text).</summary>
    public const string ReasonHeader = "dlq-reason";

    /// <summary>Header carrying where the record came from: "topic/partition/offset".</summary>
    public const string SourceHeader = "dlq-source";

    /// <summary>
    /// Publishes <paramref name="rejected"/> to <paramref name="deadLetterTopic"/> with its original key, value and
    /// headers, adding the reason and the source position, and waits until Kafka has it.
    /// </summary>
    public static Task DeadLetterAsync(
        this IProducer<byte[]?, byte[]> producer,
        string deadLetterTopic,
        ConsumeResult<byte[]?, byte[]> rejected,
        string reason,
        CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in rejected.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        headers.Add(ReasonHeader, Encoding.UTF8.GetBytes(reason));
        headers.Add(SourceHeader, Encoding.UTF8.GetBytes($"{rejected.Topic}/{rejected.Partition.Value}/{rejected.Offset.Value}"));

        return producer.ProduceAsync(deadLetterTopic, new Message<byte[]?, byte[]>
        {
            Key = rejected.Message.Key,
            Value = rejected.Message.Value ?? [],
            Headers = headers,
        }, cancellationToken);
    }
}

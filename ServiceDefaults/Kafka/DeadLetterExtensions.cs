using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Microsoft.Extensions.Hosting;

public static class DeadLetterExtensions
{
    /// <summary>Header carrying why a record was dead-lettered (UTF-8 text).</summary>
    public const string ReasonHeader = "dlq-reason";

    /// <summary>Header carrying where the record came from: "topic/partition/offset".</summary>
    public const string SourceHeader = "dlq-source";

    /// <summary>Header present on a truncated copy: "true".</summary>
    public const string TruncatedHeader = "dlq-truncated";

    /// <summary>Header carrying the original record's size in bytes (key, value and headers), on a truncated copy.</summary>
    public const string OriginalSizeHeader = "dlq-original-size";

    /// <summary>librdkafka's default message.max.bytes, for a producer that does not set it.</summary>
    public const int DefaultMaxMessageBytes = 1_000_000;

    // Room for the record's framing (librdkafka counts its v2 overhead against message.max.bytes) and the headers' varints.
    private const int FramingAllowance = 1024;

    // A reason longer than this (a long exception chain) is cut: the dead letter must fit whatever it says.
    private const int MaxReasonBytes = 8 * 1024;

    /// <summary>
    /// The dead letter of <paramref name="rejected"/>: its original key, value and headers plus the reason and the source
    /// position. When that copy would exceed <paramref name="maxMessageBytes"/>, a truncated copy instead: the value cut
    /// to fit, the original headers (and a key over 1 KiB) left out, and headers saying it was truncated and how large the
    /// original was, so the record can still be found at its source while it is retained.
    /// </summary>
    public static Message<byte[]?, byte[]> DeadLetterOf(ConsumeResult<byte[]?, byte[]> rejected, string reason, int maxMessageBytes)
    {
        var original = rejected.Message;
        var headers = new Headers
        {
            { ReasonHeader, Cut(Encoding.UTF8.GetBytes(reason), MaxReasonBytes) },
            { SourceHeader, Encoding.UTF8.GetBytes($"{rejected.Topic}/{rejected.Partition.Value}/{rejected.Offset.Value}") },
        };
        var value = original.Value ?? [];
        var originalHeaders = original.Headers ?? [];
        var originalSize = Size(original.Key) + value.Length + Size(originalHeaders);
        var budget = maxMessageBytes - FramingAllowance - Size(headers);
        if (originalSize <= budget)
        {
            foreach (var header in originalHeaders)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
            return new Message<byte[]?, byte[]> { Key = original.Key, Value = value, Headers = headers };
        }

        headers.Add(TruncatedHeader, "true"u8.ToArray());
        headers.Add(OriginalSizeHeader, Encoding.UTF8.GetBytes(originalSize.ToString(CultureInfo.InvariantCulture)));
        var key = original.Key is { Length: <= 1024 } ? original.Key : null;
        return new Message<byte[]?, byte[]>
        {
            Key = key,
            Value = Cut(value, maxMessageBytes - FramingAllowance - Size(headers) - Size(key)),
            Headers = headers,
        };
    }

    /// <summary>Publishes the dead letter of <paramref name="rejected"/> (<see cref="DeadLetterOf"/>) and waits until Kafka has it.</summary>
    public static Task DeadLetterAsync(
        this IProducer<byte[]?, byte[]> producer,
        string deadLetterTopic,
        ConsumeResult<byte[]?, byte[]> rejected,
        string reason,
        int maxMessageBytes,
        CancellationToken cancellationToken) =>
        producer.ProduceAsync(deadLetterTopic, DeadLetterOf(rejected, reason, maxMessageBytes), cancellationToken);

    private static int Size(byte[]? bytes) => bytes?.Length ?? 0;

    private static int Size(IEnumerable<IHeader> headers) => headers.Sum(h => Encoding.UTF8.GetByteCount(h.Key) + Size(h.GetValueBytes()));

    private static byte[] Cut(byte[] bytes, int maxLength) => bytes.Length <= maxLength ? bytes : bytes[..Math.Max(0, maxLength)];
}

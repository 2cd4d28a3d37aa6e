using System.Buffers.Binary;
using Confluent.Kafka;

namespace SchedulerBench;

/// <summary>
/// <paramref name="Count"/> entries due evenly over <paramref name="Spread"/> (all at once when zero) from a start
/// time. Entry i's record has the value i (8 bytes), so its due time is known when it arrives.
/// </summary>
public sealed record Workload(string Name, int Count, TimeSpan Spread)
{
    /// <summary>Whole milliseconds, as Kafka timestamps are, so a release at its due time measures 0 rather than up to 1 ms early.</summary>
    public DateTimeOffset DueAt(DateTimeOffset start, int index) =>
        DateTimeOffset.FromUnixTimeMilliseconds(start.ToUnixTimeMilliseconds() + (long)(Spread.TotalMilliseconds * index / Count));

    public static Message<byte[]?, byte[]> Record(int index)
    {
        var value = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(value, index);
        return new Message<byte[]?, byte[]> { Key = null, Value = value, Headers = [] };
    }

    public static int IndexOf(Message<byte[]?, byte[]> record) => (int)BinaryPrimitives.ReadInt64BigEndian(record.Value);
}

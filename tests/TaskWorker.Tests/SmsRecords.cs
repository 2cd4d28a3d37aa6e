using System.Text;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Tests;

/// <summary>Send records and mailing changes as TaskApi produces them, and the outcome reports the worker answers with.</summary>
public static class SmsRecords
{
    public const string Phone = "79001234567";

    // Ids unique within the test process, so the tests sharing a cluster, a Redis and a stand-in tell their messages apart.
    private static long _lastId = Random.Shared.NextInt64(1, 1_000_000) * 1_000_000;

    public static long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>A send record of a new message, expiring in an hour unless told otherwise, with no send window unless told.</summary>
    public static SmsSendItem NewItem(long? mailingId = null, DateTimeOffset? expiresAt = null, DateTimeOffset? windowClosesAt = null) =>
        new(NextId(), mailingId ?? NextId(), NextId(), Phone, "Spring sale: 20 % off", Dispatch: 1,
            expiresAt ?? DateTimeOffset.UtcNow.AddHours(1), windowClosesAt);

    public static Message<byte[]?, byte[]> Message(SmsSendItem item, Headers? headers = null) => new()
    {
        Key = MessageKeys.For(item.MessageId),
        Value = MessageJson.Serialize(item),
        Headers = headers ?? [],
    };

    public static Message<byte[]?, byte[]> Change(MailingChanged change) => new()
    {
        Key = MessageKeys.For(change.MailingId),
        Value = MessageJson.Serialize(change),
    };

    public static bool IsFor(this ConsumeResult<byte[]?, byte[]> record, long messageId) =>
        record.Message.Key is { } key && Encoding.UTF8.GetString(key) == messageId.ToString();

    public static SmsOutcomeReported Report(this ConsumeResult<byte[]?, byte[]> record) =>
        MessageJson.Deserialize<SmsOutcomeReported>(record.Message.Value);

    /// <summary>Waits for the <paramref name="count"/>th report of one message and returns it.</summary>
    public static async Task<SmsOutcomeReported> WaitForReportAsync(this TopicReader reports, long messageId, int count = 1) =>
        (await reports.WaitForAsync(record => record.IsFor(messageId), count))[^1].Report();
}

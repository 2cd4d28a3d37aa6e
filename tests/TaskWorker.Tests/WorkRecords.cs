using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Tests;

/// <summary>Work records as the outbox relay produces them, and the status events the worker answers with.</summary>
public static class WorkRecords
{
    public static TaskWorkItem NewItem() =>
        new(Guid.NewGuid(), "resize images", JsonSerializer.SerializeToElement(new { width = 640 }));

    public static Message<byte[]?, byte[]> Message(TaskWorkItem item, Headers? headers = null) => new()
    {
        Key = MessageKeys.For(item.TaskId),
        Value = MessageJson.Serialize(item),
        Headers = headers ?? [],
    };

    /// <summary>A record the worker cannot read, so it dead-letters it without running anything.</summary>
    public static Message<byte[]?, byte[]> Unreadable() => new()
    {
        Key = MessageKeys.For(Guid.NewGuid()),
        Value = "not json"u8.ToArray(),
    };

    public static bool IsFor(this ConsumeResult<byte[]?, byte[]> record, Guid taskId) =>
        record.Message.Key is { } key && Encoding.UTF8.GetString(key) == taskId.ToString();

    public static TaskStatusChanged Status(this ConsumeResult<byte[]?, byte[]> record) =>
        MessageJson.Deserialize<TaskStatusChanged>(record.Message.Value);

    /// <summary>Waits for <paramref name="count"/> status events of one task, in the order they were published.</summary>
    public static async Task<IReadOnlyList<TaskStatusChanged>> WaitForStatusesAsync(this TopicReader statuses, Guid taskId, int count) =>
        (await statuses.WaitForAsync(record => record.IsFor(taskId), count)).Select(Status).ToList();
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.DeadLetters.Storing;
using Tasks.Shared;

namespace TaskApi.Tests.Features.DeadLetters.Storing;

[Collection(nameof(DeadLetterApiCollection))]
public sealed class DeadLetterConsumerTests(DeadLetterApi api)
{
    [Fact]
    public async Task Consume_RecordOnADeadLetterTopic_IsListedWithItsReasonSourceAndOriginalHeaders()
    {
        var marker = Guid.NewGuid().ToString("N");
        var reason = $"Expected a TaskWorkItem ({marker}).";
        var stored = await api.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, $"key-{marker}", """{"taskId":"not a guid"}""",
        [
            ("x-first", "1"u8.ToArray()),
            .. DeadLetterApi.DeadLetterHeadersOf(reason, $"{KafkaTopics.TaskWork}/3/42"),
            ("x-binary", [0xFF, 0xFE]),
            ("x-first", "2"u8.ToArray()),
            ("x-empty", null),
        ]);

        var listed = Assert.Single((await api.ListAsync($"reason={marker}")).GetProperty("items").EnumerateArray());
        Assert.Equal(stored.Id, listed.GetProperty("id").GetInt64());
        Assert.Equal(KafkaTopics.TaskWorkDeadLetter, listed.GetProperty("topic").GetString());
        Assert.Equal((KafkaTopics.TaskWork, 3, 42L),
            (listed.GetProperty("sourceTopic").GetString(), listed.GetProperty("sourcePartition").GetInt32(), listed.GetProperty("sourceOffset").GetInt64()));
        Assert.Equal(reason, listed.GetProperty("reason").GetString());
        Assert.Equal("waiting", listed.GetProperty("state").GetString());
        Assert.Equal(($"key-{marker}", false), (listed.GetProperty("key").GetString(), listed.GetProperty("keyBase64").GetBoolean()));
        Assert.Equal("""{"taskId":"not a guid"}""".Length, listed.GetProperty("payloadSize").GetInt32());
        Assert.True(listed.GetProperty("replayable").GetBoolean());

        var detail = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters/{stored.Id}");
        // The original headers in their order, repeated names kept, without the dlq-* ones.
        Assert.Equal(
            new (string?, string?, bool)[] { ("x-first", "1", false), ("x-binary", "//4=", true), ("x-first", "2", false), ("x-empty", null, false) },
            detail.GetProperty("headers").EnumerateArray()
                .Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString(), h.GetProperty("valueBase64").GetBoolean())));
        Assert.Equal(("""{"taskId":"not a guid"}""", false), (detail.GetProperty("payload").GetString(), detail.GetProperty("payloadBase64").GetBoolean()));
    }

    [Fact]
    public void Topics_AreEveryDeadLetterTopicOfTheSystem()
    {
        // A .dlq topic added to KafkaTopics.All but not to DeadLetterTopics would be read by nobody.
        Assert.Equal(KafkaTopics.All.Where(topic => topic.EndsWith(".dlq", StringComparison.Ordinal)).Order(), KafkaTopics.DeadLetterTopics.Order());
    }

    [Fact]
    public async Task Consume_RecordWithoutDlqHeaders_IsStoredWithItsSourceUnknownAndNotReplayable()
    {
        // Produced to a .dlq topic by hand: no dlq-source, no dlq-reason.
        var stored = await api.DeadLetterAsync(KafkaTopics.SchedulerDeadLetter, key: null, "by hand", [("x-by", "hand"u8.ToArray())]);

        var detail = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters/{stored.Id}");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("sourceTopic").ValueKind);
        Assert.Equal("No dlq-reason header.", detail.GetProperty("reason").GetString());
        Assert.Equal("by hand", detail.GetProperty("payload").GetString());
        Assert.Equal("x-by", Assert.Single(detail.GetProperty("headers").EnumerateArray()).GetProperty("name").GetString());
        Assert.False(detail.GetProperty("replayable").GetBoolean());
    }

    [Fact]
    public async Task Store_SameRecordReadTwice_IsStoredOnce()
    {
        var store = api.Services.GetRequiredService<DeadLetterStore>();
        var record = Record(KafkaTopics.TaskStatusDeadLetter, Random.Shared.NextInt64(1_000_000_000, 2_000_000_000), "read twice");

        Assert.Equal(1, await store.StoreAsync([record], CancellationToken.None));
        // As after a rebalance or a restart before the offset was committed: the same record again.
        Assert.Equal(0, await store.StoreAsync([record], CancellationToken.None));

        Assert.Equal(1, await CountAtAsync(record));
    }

    [Fact]
    public async Task Store_NewRecordAtAnOffsetABrokerResetHandsOutAgain_IsStoredToo()
    {
        var store = api.Services.GetRequiredService<DeadLetterStore>();
        var offset = Random.Shared.NextInt64(1_000_000_000, 2_000_000_000);
        var first = Record(KafkaTopics.TaskStatusDeadLetter, offset, "before the reset");
        var second = Record(KafkaTopics.TaskStatusDeadLetter, offset, "after the reset");
        second.Message.Timestamp = new Timestamp(first.Message.Timestamp.UtcDateTime.AddMinutes(5), TimestampType.CreateTime);

        await store.StoreAsync([first], CancellationToken.None);
        await store.StoreAsync([second], CancellationToken.None);

        Assert.Equal(2, await CountAtAsync(first));
    }

    private Task<int> CountAtAsync(ConsumeResult<byte[]?, byte[]> record) =>
        api.WithDbAsync(db => db.DeadLetters.CountAsync(d => d.Topic == record.Topic && d.Partition == record.Partition.Value && d.Offset == record.Offset.Value));

    /// <summary>A record of a .dlq topic as the consumer reads it, at an offset far past what the tests produce.</summary>
    internal static ConsumeResult<byte[]?, byte[]> Record(string topic, long offset, string reason) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, new Partition(1), new Offset(offset)),
        Message = new Message<byte[]?, byte[]>
        {
            Key = "key"u8.ToArray(),
            Value = "value"u8.ToArray(),
            Timestamp = new Timestamp(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), TimestampType.CreateTime),
            Headers = new Headers { { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) } },
        },
    };
}

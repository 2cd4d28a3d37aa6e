using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Scheduler.Storage;
using Tasks.Shared;
using Tasks.Testing;

namespace Scheduler.Tests.Intake;

public sealed class ScheduleRequestsConsumerTests(SchedulerFixture fixture) : IClassFixture<SchedulerFixture>, IDisposable
{
    private readonly IConsumer<byte[]?, byte[]> _deadLetters = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, KafkaTopics.SchedulerDeadLetter);

    [Fact]
    public async Task Consume_SameIdTwice_DeliversTheFirstOnce()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var dueAt = Schedules.Now.AddMilliseconds(500);
        var first = Schedules.Request(topic, dueAt, recordKey: "entity");
        var second = first with { Value = "second"u8.ToArray() };
        // Released after the duplicate would be, to the same partition: reading up to it shows everything before.
        var sentinel = Schedules.Request(topic, dueAt.AddMilliseconds(200), recordKey: "entity");

        await fixture.Producer.ScheduleAsync(first, messageKey: "entity");
        await fixture.Producer.ScheduleAsync(second, messageKey: "entity");
        await fixture.Producer.ScheduleAsync(sentinel, messageKey: "entity");

        var released = await reader.ReadUntilAsync(sentinel.ScheduleId);
        Assert.Equal([first.Value, sentinel.Value], released.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task Consume_SameIdAfterItWasReleased_IsNotDeliveredAgain()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var request = Schedules.Request(topic, Schedules.Now, recordKey: "entity");
        await fixture.Producer.ScheduleAsync(request, messageKey: "entity");
        await reader.ReadUntilAsync(request.ScheduleId);
        var sentinel = Schedules.Request(topic, Schedules.Now.AddMilliseconds(200), recordKey: "entity");

        await fixture.Producer.ScheduleAsync(request with { DueAt = Schedules.Now }, messageKey: "entity");
        await fixture.Producer.ScheduleAsync(sentinel, messageKey: "entity");

        var releasedAfterwards = await reader.ReadUntilAsync(sentinel.ScheduleId);
        Assert.Equal([sentinel.ScheduleId], releasedAfterwards.Select(Schedules.ScheduleIdOf));
    }

    public static TheoryData<string, string, string> InvalidRequests => new()
    {
        { "bad JSON", """{"scheduleId": """, "Invalid JSON" },
        { "JSON null", "null", "got null" },
        { "empty value", "", "no value" },
        { "empty id", Json(id: ""), "'scheduleId' must not be empty" },
        { "id too long", Json(id: new string('i', 201)), "at most 200" },
        { "id with a line break", Json(id: "id-1\\nforged log line"), "'scheduleId' must not contain control characters" },
        { "no due time", Json(dueAt: null), "'dueAt' is missing" },
        { "empty topic", Json(topic: ""), "'topic' must be a Kafka topic name" },
        { "topic with a space", Json(topic: "two words"), "'topic' must be a Kafka topic name" },
        { "topic with a final newline", Json(topic: Schedules.TargetTopics[0] + "\\n"), "'topic' must be a Kafka topic name" },
        { "topic the Scheduler does not release to", Json(topic: KafkaTopics.EmailsSendDeadLetter), $"'topic' {KafkaTopics.EmailsSendDeadLetter} is not one the Scheduler releases to" },
        { "no value", Json(value: null), "'value' is missing" },
        { "value not base64", Json(value: "%%%"), "Invalid JSON" },
        { "no headers", Json(headers: null), "'headers' is missing" },
        { "header without name", Json(headers: """[{"value": "AQ=="}]"""), "non-empty 'name'" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Consume_InvalidRequest_DeadLettersItWithTheReasonAndMovesOn(string scenario, string value, string reason)
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var messageKey = $"{scenario}-{Guid.NewGuid():N}";
        var valid = Schedules.Request(topic, Schedules.Now);

        await fixture.Producer.ProduceAsync(KafkaTopics.SchedulerRequests,
            new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(messageKey), Value = Encoding.UTF8.GetBytes(value) });
        await fixture.Producer.ScheduleAsync(valid, messageKey);

        var deadLetter = await _deadLetters.ConsumeFirstAsync(r => r.Message.Key is { } key && Encoding.UTF8.GetString(key) == messageKey, Schedules.Patience);
        Assert.Equal(value, Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.Contains(reason, deadLetter.Header(DeadLetterExtensions.ReasonHeader));
        Assert.StartsWith($"{KafkaTopics.SchedulerRequests}/", deadLetter.Header(DeadLetterExtensions.SourceHeader));
        var released = await reader.ConsumeFirstAsync(_ => true, Schedules.Patience);
        Assert.Equal(valid.ScheduleId, Schedules.ScheduleIdOf(released));
    }

    /// <summary>A request as JSON with one field changed; null leaves the field out.</summary>
    private static string Json(string? id = "id-1", string? dueAt = "2030-01-01T00:00:00+00:00", string? topic = "target",
        string? value = "AQID", string? headers = "[]")
    {
        (string Name, string? Json)[] fields =
            [("scheduleId", Quoted(id)), ("dueAt", Quoted(dueAt)), ("topic", Quoted(topic)), ("value", Quoted(value)), ("headers", headers)];
        return "{" + string.Join(", ", fields.Where(f => f.Json is not null).Select(f => $"\"{f.Name}\": {f.Json}")) + "}";
    }

    private static string? Quoted(string? text) => text is null ? null : $"\"{text}\"";

    public void Dispose() => _deadLetters.Dispose();
}

using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Scheduler.Storage;
using Tasks.Shared;
using Tasks.Testing;

namespace Scheduler.Tests.Intake;

/// <summary>
/// "Never delivered" is shown by a sentinel: an entry due after the cancelled one, released to the same partition, so
/// the cancelled entry, had it been released, would be read before the sentinel.
/// </summary>
public sealed class ScheduleCancelsConsumerTests(SchedulerFixture fixture) : IClassFixture<SchedulerFixture>
{
    [Fact]
    public async Task Consume_CancelBeforeDue_EntryIsNeverDelivered()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var cancelled = Schedules.Request(topic, Schedules.Now.AddMilliseconds(800), recordKey: "entity");
        var sentinel = Schedules.Request(topic, cancelled.DueAt.AddMilliseconds(200), recordKey: "entity");
        await fixture.Producer.ScheduleAsync(cancelled);
        await fixture.Producer.ScheduleAsync(sentinel);
        await AwaitStateAsync(cancelled.ScheduleId, EntryState.Waiting);

        await fixture.Producer.CancelAsync(cancelled.ScheduleId);

        var released = await reader.ReadUntilAsync(sentinel.ScheduleId);
        Assert.Equal([sentinel.ScheduleId], released.Select(Schedules.ScheduleIdOf));
        Assert.Equal(EntryState.Cancelled, await fixture.Scheduler.Store.StateOfAsync(cancelled.ScheduleId));
    }

    [Fact]
    public async Task Consume_CancelBeforeItsRequest_EntryIsNeverDelivered()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var cancelled = Schedules.Request(topic, Schedules.Now, recordKey: "entity");
        var sentinel = Schedules.Request(topic, Schedules.Now.AddMilliseconds(200), recordKey: "entity");
        await fixture.Producer.CancelAsync(cancelled.ScheduleId);
        await AwaitStateAsync(cancelled.ScheduleId, EntryState.Cancelled);

        // The same message key puts the sentinel's request after the cancelled one in one partition.
        await fixture.Producer.ScheduleAsync(cancelled, messageKey: "entity");
        await fixture.Producer.ScheduleAsync(sentinel, messageKey: "entity");

        var released = await reader.ReadUntilAsync(sentinel.ScheduleId);
        Assert.Equal([sentinel.ScheduleId], released.Select(Schedules.ScheduleIdOf));
    }

    [Theory]
    [InlineData("not JSON", "Invalid JSON")]
    [InlineData("{}", "'scheduleId' must not be empty")]
    [InlineData("""{"scheduleId": " "}""", "'scheduleId' must not be empty")]
    public async Task Consume_InvalidCancel_DeadLettersItWithTheReasonAndMovesOn(string value, string reason)
    {
        using var deadLetters = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, KafkaTopics.SchedulerDeadLetter);
        var messageKey = Guid.NewGuid().ToString("N");
        var next = $"after-{messageKey}";

        await fixture.Producer.ProduceAsync(KafkaTopics.SchedulerCancels,
            new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(messageKey), Value = Encoding.UTF8.GetBytes(value) });
        await fixture.Producer.ProduceAsync(KafkaTopics.SchedulerCancels,
            new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(messageKey), Value = MessageJson.Serialize(new ScheduleCancel(next)) });

        var deadLetter = await deadLetters.ConsumeFirstAsync(r => r.Message.Key is { } key && Encoding.UTF8.GetString(key) == messageKey, Schedules.Patience);
        Assert.Contains(reason, deadLetter.Header(DeadLetterExtensions.ReasonHeader));
        await AwaitStateAsync(next, EntryState.Cancelled);
    }

    private Task AwaitStateAsync(string scheduleId, EntryState state) =>
        Eventually.UntilAsync(async () => await fixture.Scheduler.Store.StateOfAsync(scheduleId) == state, Schedules.Patience, $"{scheduleId} to be {state}");
}

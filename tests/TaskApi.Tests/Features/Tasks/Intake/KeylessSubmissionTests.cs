using System.Text;
using Confluent.Kafka;
using EmbeddedKafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Tasks.Intake;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks.Intake;

/// <summary>
/// Submissions without a key across restarts: of the API (the same records delivered again) and of the broker (an empty
/// cluster handing out the same offsets again) while the database keeps its tasks, as at every AppHost start.
/// </summary>
public sealed class KeylessSubmissionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TopicPartition Partition0 = new(KafkaTopics.TaskRequests, new Partition(0));

    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Consume_SameSubmissionsAfterTheBrokerStartedEmpty_AllBecomeTasks()
    {
        var name = $"keyless {Guid.NewGuid():N}";
        using (var firstBroker = PipelineKafka.Start())
        {
            await using var api = await StartApiAsync(firstBroker);
            await SubmitKeylessAsync(firstBroker, name, count: 3);
            await WaitForTasksAsync(api, name, 3);
        }

        // A new cluster starts at offset 0 again: the same positions, with records the database has not seen.
        using var secondBroker = PipelineKafka.Start();
        await using var restarted = await StartApiAsync(secondBroker);
        await SubmitKeylessAsync(secondBroker, name, count: 3);

        await WaitForTasksAsync(restarted, name, 6);
    }

    [Fact]
    public async Task Consume_KeylessSubmissionDeliveredAgain_CreatesOneTask()
    {
        var name = $"redelivered {Guid.NewGuid():N}";
        using var broker = PipelineKafka.Start();
        await using (var api = await StartApiAsync(broker))
        {
            await SubmitKeylessAsync(broker, name, count: 1);
            await WaitForTasksAsync(api, name, 1);
        }
        // Between two API instances the group's position goes back to the start, as after a crash before the commit.
        RewindIntakeGroup(broker);

        await using var restarted = await StartApiAsync(broker);
        var sentinel = $"sentinel {Guid.NewGuid():N}";
        await SubmitKeylessAsync(broker, sentinel, count: 1);

        await WaitForTasksAsync(restarted, sentinel, 1);
        Assert.Equal(1, await restarted.WithDbAsync(db => db.Tasks.CountAsync(t => t.Name == name)));
    }

    private async Task<OverKeptDatabase> StartApiAsync(KafkaMockCluster broker)
    {
        var api = new OverKeptDatabase(_database, broker);
        await ((IAsyncLifetime)api).InitializeAsync();
        return api;
    }

    private static async Task SubmitKeylessAsync(KafkaMockCluster broker, string name, int count)
    {
        using var producer = PipelineKafka.Producer(broker.BootstrapServers);
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}""") });
        }
    }

    private static Task WaitForTasksAsync(TaskApiFactory api, string name, int count) =>
        Eventually.UntilAsync(async () => await api.WithDbAsync(db => db.Tasks.CountAsync(t => t.Name == name)) == count,
            Timeout, $"{count} tasks named '{name}'");

    /// <summary>Joins the intake group alone (the embedded broker takes commits from members only) and commits offset 0 everywhere.</summary>
    private static void RewindIntakeGroup(KafkaMockCluster broker)
    {
        using var member = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = TaskRequestsConsumer.ConsumerGroup,
            EnableAutoCommit = false,
            // As the API's members (TaskApiFactory), so the broker's rebalance waits no longer for this one.
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = 6000,
        }).Build();
        member.Subscribe(KafkaTopics.TaskRequests);
        var deadline = DateTime.UtcNow + Timeout;
        while (member.Assignment.Count < PipelineKafka.Partitions && DateTime.UtcNow < deadline)
        {
            member.Consume(TimeSpan.FromMilliseconds(100));
        }
        member.Commit(member.Assignment.Select(partition => new TopicPartitionOffset(partition, 0)));
        member.Close();
    }

    /// <summary>Disposing it stops the API only: the database and the broker belong to the test.</summary>
    private sealed class OverKeptDatabase(PostgresDatabase database, KafkaMockCluster broker) : TaskApiFactory(database, broker);
}

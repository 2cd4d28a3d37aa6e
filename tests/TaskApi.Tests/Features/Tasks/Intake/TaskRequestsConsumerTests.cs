using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks.Intake;

/// <summary>Submissions are produced by a plain Confluent producer, as an outside system would, all to partition 0 so order is known.</summary>
public sealed class TaskRequestsConsumerTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TopicPartition Partition0 = new(KafkaTopics.TaskRequests, new Partition(0));
    private readonly IProducer<byte[]?, byte[]> _producer = PipelineKafka.Producer(api.Kafka.BootstrapServers);

    [Fact]
    public async Task Consume_ValidSubmission_StoresTaskAndEnqueuesItsWork()
    {
        await SubmitAsync("external-1", """{"name":"from kafka","payload":{"x":1}}""");

        var task = await StoredTaskAsync("external-1");
        var fetched = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/tasks/{task.Id}");
        Assert.Equal("from kafka", fetched.GetProperty("name").GetString());
        Assert.Equal(1, fetched.GetProperty("payload").GetProperty("x").GetInt32());
        Assert.Equal("new", fetched.GetProperty("status").GetString());
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Key == MessageKeys.For(task.Id))), Timeout, "the work item in the outbox");
    }

    [Fact]
    public async Task Consume_ValidSubmission_RecordsKafkaAsCreator()
    {
        await SubmitAsync("external-creator", """{"name":"from kafka"}""");

        var task = await StoredTaskAsync("external-creator");
        Assert.Equal(ActorKinds.Kafka, task.CreatedBy);
        var fetched = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/tasks/{task.Id}");
        Assert.Equal(ActorKinds.Kafka, fetched.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Consume_SameKeyTwice_CreatesOneTask()
    {
        await SubmitAsync("twice", """{"name":"first"}""");
        await SubmitAsync("twice", """{"name":"second"}""");
        await SubmitAsync("after-twice", """{"name":"sentinel"}""");

        await StoredTaskAsync("after-twice");
        var tasks = await api.WithDbAsync(db => db.Tasks.Where(t => t.IdempotencyKey == "twice").ToListAsync());
        Assert.Equal("first", Assert.Single(tasks).Name);
    }

    [Fact]
    public async Task Consume_SameKeyAsAnEarlierRestRequest_CreatesKafkasOwnTask()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name = "over rest" }) };
        request.Headers.Add("Idempotency-Key", "shared-key");
        await api.CreateClient().SendAsync(request);

        await SubmitAsync("shared-key", """{"name":"over kafka"}""");
        await SubmitAsync("after-shared", """{"name":"sentinel"}""");

        await StoredTaskAsync("after-shared");
        // Idempotency keys are each creator's own, and Kafka's submissions are one creator's.
        var tasks = await api.WithDbAsync(db => db.Tasks.Where(t => t.IdempotencyKey == "shared-key").OrderBy(t => t.CreatedAt).ToListAsync());
        Assert.Equal(["over rest", "over kafka"], tasks.Select(t => t.Name));
        Assert.Equal(ActorKinds.Kafka, tasks[1].CreatedBy);
    }

    [Fact]
    public async Task Consume_TwoMessagesWithoutKey_CreatesTwoTasks()
    {
        var name = $"keyless {Guid.NewGuid()}";
        await SubmitAsync(null, $$"""{"name":"{{name}}"}""");
        await SubmitAsync(null, $$"""{"name":"{{name}}"}""");

        await Eventually.UntilAsync(async () => await api.WithDbAsync(db => db.Tasks.CountAsync(t => t.Name == name)) == 2, Timeout, "two tasks");
    }

    public static TheoryData<string, byte[]?, byte[], string> InvalidSubmissions => new()
    {
        { "bad JSON", null, "{\"name\": "u8.ToArray(), "Invalid JSON" },
        { "wrong type", null, "{\"name\": 42}"u8.ToArray(), "wrong type" },
        { "JSON null", null, "null"u8.ToArray(), "JSON null" },
        { "empty value", null, [], "no value" },
        { "empty name", null, "{\"name\": \"\"}"u8.ToArray(), "'name' must not be empty" },
        { "name too long", null, Encoding.UTF8.GetBytes($"{{\"name\": \"{new string('n', 201)}\"}}"), "200" },
        { "control character", null, "{\"name\": \"a\\u0000b\"}"u8.ToArray(), "control characters" },
        { "payload too big", null, Encoding.UTF8.GetBytes($"{{\"name\": \"big\", \"payload\": \"{new string('x', 65_535)}\"}}"), "65536" },
        { "message too big", null, Encoding.UTF8.GetBytes($"{{\"name\": \"huge\", \"payload\": \"{new string('x', 100_000)}\"}}"), "at most 73728" },
        { "key not UTF-8", [0xC3, 0x28], "{\"name\": \"bad key\"}"u8.ToArray(), "not valid UTF-8" },
        { "key too long", Encoding.UTF8.GetBytes(new string('k', 201)), "{\"name\": \"long key\"}"u8.ToArray(), "Idempotency-Key" },
    };

    [Theory]
    [MemberData(nameof(InvalidSubmissions))]
    public async Task Consume_InvalidSubmission_DeadLettersItIntactAndTheNextMessageIsStored(string _, byte[]? key, byte[] value, string reasonFragment)
    {
        var marker = Guid.NewGuid().ToString();
        var sentinelKey = $"after-{marker}";
        using var deadLetters = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskRequestsDeadLetter);

        var rejected = await _producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]>
        {
            Key = key,
            Value = value,
            Headers = new Headers { { "test-marker", Encoding.UTF8.GetBytes(marker) } },
        });
        await SubmitAsync(sentinelKey, """{"name":"sentinel"}""");

        await StoredTaskAsync(sentinelKey);
        var deadLetter = await deadLetters.ConsumeFirstAsync(d => d.Header("test-marker") == marker, Timeout);
        Assert.Equal(key, deadLetter.Message.Key);
        Assert.Equal(value, deadLetter.Message.Value);
        Assert.Contains(reasonFragment, deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Equal($"{KafkaTopics.TaskRequests}/0/{rejected.Offset.Value}", deadLetter.Header(DeadLetterHeaders.Source));
    }

    private Task SubmitAsync(string? key, string json) =>
        _producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = Encoding.UTF8.GetBytes(json),
        });

    private Task<TaskItem> StoredTaskAsync(string key) =>
        Eventually.GetAsync(() => api.WithDbAsync(db => db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.IdempotencyKey == key)), Timeout, $"the task with key '{key}'");

    public void Dispose() => _producer.Dispose();
}

using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Clients;
using TaskApi.Features.Mailings;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Mailings;

/// <summary>Clients, mailings and workers' reports for the mailing tests, against a running API.</summary>
public sealed class MailingScenario(TaskApiFactory api) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Unique mobile numbers across the tests of one process: 7900 and seven digits from a random start.
    private static long _nextPhone = 79_000_000_000 + Random.Shared.Next(0, 9_000_000);

    private readonly Lazy<IProducer<byte[]?, byte[]>> _producer = new(() => PipelineKafka.Producer(api.Kafka.BootstrapServers));

    public HttpClient Http { get; } = api.CreateClient();

    /// <summary>A tag no other test uses, so a filter on it selects only this test's clients.</summary>
    public string Tag { get; } = $"t{Guid.NewGuid():N}"[..20];

    public async Task<List<TaskApi.Features.Clients.Client>> AddClientsAsync(int count, string operatorCode = "900", string? tag = null, string timeZone = "UTC")
    {
        var now = DateTimeOffset.UtcNow;
        var clients = Enumerable.Range(0, count).Select(_ => new TaskApi.Features.Clients.Client
        {
            Phone = Interlocked.Increment(ref _nextPhone).ToString(System.Globalization.CultureInfo.InvariantCulture),
            OperatorCode = operatorCode,
            Tag = tag ?? Tag,
            TimeZone = timeZone,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await api.WithDbAsync(async db =>
        {
            db.Clients.AddRange(clients);
            return await db.SaveChangesAsync();
        });
        return clients;
    }

    /// <summary>A mailing body for this test's tag, running from a minute ago for an hour unless told otherwise.</summary>
    public object Body(string text = "Hello", DateTimeOffset? startAt = null, DateTimeOffset? endAt = null, string[]? operatorCodes = null,
        string[]? tags = null, object? sendWindow = null) => new
    {
        text,
        startAt = (startAt ?? DateTimeOffset.UtcNow.AddMinutes(-1)).ToString("O"),
        endAt = (endAt ?? DateTimeOffset.UtcNow.AddHours(1)).ToString("O"),
        filter = new { operatorCodes = operatorCodes ?? [], tags = tags ?? [Tag] },
        sendWindow,
    };

    public async Task<JsonElement> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/mailings", body);
        Assert.Equal(201, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<JsonElement> GetAsync(long id) => Http.GetFromJsonAsync<JsonElement>($"/mailings/{id}");

    public async Task<JsonElement> InStatusAsync(long id, string status)
    {
        await Eventually.UntilAsync(async () => (await GetAsync(id)).GetProperty("status").GetString() == status, Timeout, $"mailing {id} {status}");
        return await GetAsync(id);
    }

    /// <summary>The mailing once running, with its messages in id order.</summary>
    public async Task<List<SmsMessage>> StartedAsync(long mailingId)
    {
        await Eventually.UntilAsync(async () => (await GetAsync(mailingId)).GetProperty("status").GetString() != "scheduled", Timeout, $"mailing {mailingId} started");
        return await MessagesAsync(mailingId);
    }

    public Task<List<SmsMessage>> MessagesAsync(long mailingId) =>
        api.WithDbAsync(db => db.SmsMessages.AsNoTracking().Where(m => m.MailingId == mailingId).OrderBy(m => m.Id).ToListAsync());

    public Task<SmsMessage> MessageAsync(long messageId) =>
        api.WithDbAsync(db => db.SmsMessages.AsNoTracking().SingleAsync(m => m.Id == messageId));

    /// <summary>Waits until the message satisfies <paramref name="condition"/>.</summary>
    public Task<SmsMessage> MessageWhenAsync(long messageId, Func<SmsMessage, bool> condition, string what) =>
        Eventually.GetAsync(async () => await MessageAsync(messageId) is var m && condition(m) ? m : null, Timeout, $"message {messageId} {what}");

    /// <summary>Produces a worker's report to messages.status, as TaskWorker would.</summary>
    public async Task ReportAsync(SmsMessage message, SmsOutcome outcome, int? dispatch = null, bool called = true, string? error = null,
        DateTimeOffset? occurredAt = null, DateTimeOffset? retryNotBefore = null)
    {
        var report = new SmsOutcomeReported(message.Id, message.MailingId, dispatch ?? message.Dispatch, outcome, called,
            occurredAt ?? DateTimeOffset.UtcNow, error, retryNotBefore);
        await _producer.Value.ProduceAsync(KafkaTopics.MessagesStatus,
            new Message<byte[]?, byte[]> { Key = MessageKeys.For(message.Id), Value = MessageJson.Serialize(report) });
    }

    public Task ProduceAsync(string topic, byte[] key, byte[] value) =>
        _producer.Value.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = key, Value = value });

    /// <summary>The records on <paramref name="topic"/> whose key is one of <paramref name="keys"/>, one each.</summary>
    public Task<Dictionary<string, T>> ReadAsync<T>(string topic, IReadOnlyCollection<string> keys) =>
        PipelineKafka.ReadLatestAsync<T>(api.Kafka.BootstrapServers, topic, keys, Timeout);

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Dispose();
        }
        Http.Dispose();
    }
}

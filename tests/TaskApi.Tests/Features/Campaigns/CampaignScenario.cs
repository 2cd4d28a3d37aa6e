using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Campaigns;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Campaigns;

/// <summary>Templates, lists, campaigns and workers' reports for the campaign tests, through the running API.</summary>
public sealed class CampaignScenario(TaskApiFactory api) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Lazy<IProducer<byte[]?, byte[]>> _producer = new(() => PipelineKafka.Producer(api.Kafka.BootstrapServers));

    public HttpClient Http { get; } = api.CreateClient();

    public async Task<long> AddTemplateAsync(string subject = "Hello {{ recipient.name }}",
        string html = "<p>{{ message }} for {{ recipient.email }}</p>", string? text = null)
    {
        var response = await Http.PostAsJsonAsync("/templates", new { name = $"template {Guid.NewGuid():N}", subject, html, text });
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>A new list with these subscribers (each an address, or an address with a name and fields).</summary>
    public async Task<long> AddListAsync(params object[] subscribers)
    {
        var response = await Http.PostAsJsonAsync("/lists", new { name = $"list {Guid.NewGuid():N}" });
        Assert.Equal(201, (int)response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        if (subscribers.Length > 0)
        {
            var rows = subscribers.Select(s => s as string is { } email ? new { email } : s).ToArray();
            var import = await Http.PostAsJsonAsync($"/lists/{id}/subscribers", rows);
            Assert.Equal(200, (int)import.StatusCode);
        }
        return id;
    }

    /// <summary>Addresses no other test uses.</summary>
    public static string[] Addresses(int count) => Enumerable.Range(0, count).Select(i => $"r{i}.{Guid.NewGuid():N}@example.com").ToArray();

    public static object Body(long templateId, long[] listIds, DateTimeOffset? sendAt = null, string? subject = null, string message = "News") => new
    {
        name = "Spring news",
        templateId,
        listIds,
        from = new { email = "news@example.com", name = "News desk" },
        message,
        subject,
        sendAt = sendAt?.ToString("O"),
    };

    public async Task<long> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/campaigns", body);
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>A campaign sent at once to a new list of <paramref name="recipients"/> addresses, once its emails exist.</summary>
    public async Task<(long CampaignId, List<EmailMessage> Emails)> SendingAsync(int recipients)
    {
        var list = await AddListAsync(Addresses(recipients));
        var id = await CreateAsync(Body(await AddTemplateAsync(), [list]));
        await InStatusAsync(id, "sending");
        return (id, await EmailsAsync(id));
    }

    public Task<JsonElement> GetAsync(long id) => Http.GetFromJsonAsync<JsonElement>($"/campaigns/{id}");

    public async Task<JsonElement> InStatusAsync(long id, string status)
    {
        await Eventually.UntilAsync(async () => (await GetAsync(id)).GetProperty("status").GetString() == status, Timeout, $"campaign {id} {status}");
        return await GetAsync(id);
    }

    public Task<JsonElement> StatsAsync(long id) => Http.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/stats");

    public Task<List<EmailMessage>> EmailsAsync(long campaignId) =>
        api.WithDbAsync(db => db.EmailMessages.AsNoTracking().Where(m => m.CampaignId == campaignId).OrderBy(m => m.Id).ToListAsync());

    public Task<EmailMessage> EmailAsync(long messageId) =>
        api.WithDbAsync(db => db.EmailMessages.AsNoTracking().SingleAsync(m => m.Id == messageId));

    public Task<EmailMessage> EmailWhenAsync(long messageId, Func<EmailMessage, bool> condition, string what) =>
        Eventually.GetAsync(async () => await EmailAsync(messageId) is var m && condition(m) ? m : null, Timeout, $"email {messageId} {what}");

    /// <summary>Produces a worker's report to emails.status, as TaskWorker would.</summary>
    public Task ReportAsync(EmailMessage email, EmailOutcome outcome, int? dispatch = null, string? error = null, DateTimeOffset? occurredAt = null) =>
        ProduceAsync(KafkaTopics.EmailsStatus, MessageKeys.For(email.Id), MessageJson.Serialize(
            new EmailOutcomeReported(email.Id, email.CampaignId, dispatch ?? email.Dispatch, outcome, occurredAt ?? DateTimeOffset.UtcNow, error)));

    public Task ProduceAsync(string topic, byte[] key, byte[] value) =>
        _producer.Value.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = key, Value = value });

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

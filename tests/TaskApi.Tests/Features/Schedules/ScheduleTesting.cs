using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Schedules;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Schedules;

/// <summary>
/// What the schedule tests share: creating schedules, reading what TaskApi asked the Scheduler, and releasing a request
/// as the Scheduler does (its key, value and headers to its topic): the tests' API runs without a Scheduler.
/// </summary>
public static class ScheduleTesting
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static object Body(string cron, string timezone = "Europe/Moscow", object? extra = null, string taskName = "scheduled") =>
        new Dictionary<string, object?>
        {
            ["cron"] = cron,
            ["timezone"] = timezone,
            ["task"] = new { name = taskName, payload = new { n = 1 }, maxAttempts = 2 },
        }.Concat(extra is null ? [] : JsonSerializer.SerializeToElement(extra).EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value)))
         .ToDictionary();

    public static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/schedules", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static long Id(this JsonElement schedule) => schedule.GetProperty("id").GetInt64();

    public static DateTimeOffset[] NextAts(this JsonElement schedule) =>
        [.. schedule.GetProperty("nextOccurrences").EnumerateArray().Select(o => o.GetProperty("at").GetDateTimeOffset())];

    /// <summary>The first request TaskApi made of the Scheduler for the schedule's occurrence that <paramref name="match"/> accepts.</summary>
    public static async Task<(ScheduleRequest Request, ScheduleDue Due)> RequestedAsync(this TaskApiFactory api, long scheduleId, Func<ScheduleDue, bool> match)
    {
        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var record = await requests.ConsumeFirstAsync(r => Read(r.Message.Value) is { Topic: KafkaTopics.SchedulesDue } request
            && MessageJson.Deserialize<ScheduleDue>(request.Value) is var due && due.ScheduleId == scheduleId && match(due), Timeout);
        var found = Read(record.Message.Value)!;
        return (found, MessageJson.Deserialize<ScheduleDue>(found.Value));
    }

    /// <summary>Whether TaskApi cancelled the Scheduler's entry <paramref name="schedulerId"/>.</summary>
    public static async Task CancelledAsync(this TaskApiFactory api, string schedulerId)
    {
        using var cancels = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerCancels);
        await cancels.ConsumeFirstAsync(r => MessageJson.Deserialize<ScheduleCancel>(r.Message.Value).ScheduleId == schedulerId, Timeout);
    }

    /// <summary>Releases <paramref name="request"/> as the Scheduler does: its record, unchanged, to its topic (under <paramref name="key"/> when given).</summary>
    public static async Task ReleaseAsync(this TaskApiFactory api, ScheduleRequest request, byte[]? key = null)
    {
        using var producer = PipelineKafka.Producer(api.Kafka.BootstrapServers);
        var headers = new Headers();
        foreach (var header in request.Headers)
        {
            headers.Add(header.Name, header.Value);
        }
        await producer.ProduceAsync(request.Topic, new Message<byte[]?, byte[]> { Key = key ?? request.Key, Value = request.Value, Headers = headers });
    }

    /// <summary>The tasks the schedule's occurrences created, by their idempotency keys.</summary>
    public static Task<List<TaskItem>> TasksOfAsync(this TaskApiFactory api, long scheduleId) =>
        api.WithDbAsync(db => db.Tasks.AsNoTracking().Where(t => t.IdempotencyKey!.StartsWith($"schedule {scheduleId} ")).ToListAsync());

    public static Task<Schedule> StoredAsync(this TaskApiFactory api, long scheduleId) =>
        api.WithDbAsync(db => db.Schedules.AsNoTracking().SingleAsync(s => s.Id == scheduleId));

    /// <summary>Whether a record <paramref name="match"/> accepts comes within <paramref name="timeout"/>.</summary>
    public static Task<bool> AnyWithinAsync(this IConsumer<byte[]?, byte[]> consumer, Func<ConsumeResult<byte[]?, byte[]>, bool> match, TimeSpan timeout) =>
        OwnThread.RunAsync(() =>
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result && match(result))
                {
                    return true;
                }
            }
            return false;
        });

    private static ScheduleRequest? Read(byte[] value)
    {
        try
        {
            return MessageJson.Deserialize<ScheduleRequest>(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Notifications;
using TaskApi.Features.Schedules.Firing;
using TaskApi.Tests.Features.Notifications;
using TaskApi.Tests.Features.Users;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Schedules.Firing;

/// <summary>An occurrence released by the Scheduler creates exactly one task, however often its record comes.</summary>
public sealed class ScheduleDueConsumerTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Occurrence_ReleasedAtItsTime_CreatesItsTaskInItsTraceAndRequestsTheNext()
    {
        var creator = await api.NewOperatorAsync();
        var id = (await ScheduleTesting.CreateAsync(creator.Http, ScheduleTesting.Body("*/2 * * * * *", "UTC"))).Id();
        var (request, due) = await api.RequestedAsync(id, _ => true);
        // As the Scheduler: released at its time.
        if (due.Occurrence - DateTimeOffset.UtcNow is { Ticks: > 0 } untilDue)
        {
            await Task.Delay(untilDue);
        }

        await api.ReleaseAsync(request);

        var task = (await Eventually.GetAsync(async () => (await api.TasksOfAsync(id)).SingleOrDefault(), ScheduleTesting.Timeout, "the occurrence's task"));
        Assert.Equal(($"schedule {id} {due.Occurrence.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", "scheduled", 2), (task.IdempotencyKey, task.Name, task.MaxAttempts));
        Assert.Equal(JsonSerializer.Serialize(new { n = 1 }), task.Payload);
        Assert.Equal(creator.Id, task.CreatedBy);
        var (_, next) = await api.RequestedAsync(id, d => d.Occurrence > due.Occurrence);
        Assert.Equal((due.Occurrence.AddSeconds(2), 1), (next.Occurrence, next.Version));
        Assert.Equal(due.Occurrence, (await api.StoredAsync(id)).LastOccurrence);
        // The task's work record continues the trace the released record carried.
        var releasedTrace = TraceId(System.Text.Encoding.UTF8.GetString(request.Headers.Single(h => h.Name == "traceparent").Value));
        var workTrace = await api.WithDbAsync(db => db.OutboxMessages.Where(m => m.Topic == KafkaTopics.TaskWork && m.Key == MessageKeys.For(task.Id))
            .Select(m => m.TraceParent).SingleAsync());
        Assert.Equal(releasedTrace, TraceId(workTrace!));
    }

    [Fact]
    public async Task Occurrence_ReleasedTwice_CreatesOneTask()
    {
        using var handled = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), ScheduleMetrics.OccurrencesInstrument);
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 0 12 * * *", "UTC"))).Id();
        var (request, _) = await api.RequestedAsync(id, _ => true);

        await api.ReleaseAsync(request);
        await api.ReleaseAsync(request);

        await Eventually.UntilAsync(() => Task.FromResult(handled.Total >= 2), ScheduleTesting.Timeout, "both records to be handled");
        Assert.Single(await api.TasksOfAsync(id));
    }

    [Fact]
    public async Task Occurrence_OfANotificationScheduleReleasedTwice_CreatesOneNotificationWithItsDeliveries()
    {
        using var handled = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), ScheduleMetrics.OccurrencesInstrument);
        var creator = await api.NewOperatorAsync();
        var (reader, stranger) = (UserTesting.NewUserId(), UserTesting.NewUserId());
        await _client.PutUserAsync(reader, new { email = "reader@example.com" });
        var body = new
        {
            cron = "0 0 12 * * *",
            timezone = "UTC",
            notification = new { userIds = new[] { reader, stranger }, channels = new[] { "email", "inApp" }, title = "Noon", text = "It is noon." },
        };
        var id = (await ScheduleTesting.CreateAsync(creator.Http, body)).Id();
        var (request, due) = await api.RequestedAsync(id, _ => true);

        await api.ReleaseAsync(request);
        await api.ReleaseAsync(request);

        await Eventually.UntilAsync(() => Task.FromResult(handled.Total >= 2), ScheduleTesting.Timeout, "both records to be handled");
        var notification = await api.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.IdempotencyKey!.StartsWith($"schedule {id} ")));
        Assert.Equal(($"schedule {id} {due.Occurrence.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", "Noon", "It is noon.", creator.Id),
            (notification.IdempotencyKey, notification.Title, notification.Text, notification.CreatedBy));
        var deliveries = await api.DeliveriesAsync(notification.Id);
        Assert.Equal(4, deliveries.Count);
        Assert.Equal("reader@example.com", deliveries[(reader, DeliveryChannel.Email)].Address);
        Assert.Equal(DeliveryReason.NoAddress, deliveries[(stranger, DeliveryChannel.Email)].Reason);
        Assert.Equal(due.Occurrence, (await api.StoredAsync(id)).LastOccurrence);
    }

    private static string TraceId(string traceParent) => traceParent.Split('-')[1];
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Mailings;
using TaskApi.Tests.Features.Tasks.Scheduling;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Mailings.Planning;

/// <summary>What the Scheduler held is lost (its Redis lost its data): PostgreSQL's waiting starts and messages are delivered again.</summary>
// Alone: the reconciler's passes race the test's own writes, and other classes' load stretches those races.
[Collection(nameof(AloneCollection))]
public sealed class MailingReconcilerTests(ScheduleReconcilerTests.FastReconcilingApi api) : IClassFixture<ScheduleReconcilerTests.FastReconcilingApi>, IDisposable
{
    private readonly MailingScenario _scenario = new(api);

    [Fact]
    public async Task Reconcile_StartDueSoon_IsRequestedAgainUnderTheSameSchedule()
    {
        var startAt = DateTimeOffset.UtcNow.AddSeconds(2.5);
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)))).GetProperty("id").GetInt64();

        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var both = await requests.ConsumeMatchingAsync(2,
            r => MessageJson.Deserialize<ScheduleRequest>(r.Message.Value).ScheduleId == $"mailing-{id}-start-v1", MailingScenario.Timeout);

        Assert.All(both, r => Assert.Equal(startAt, MessageJson.Deserialize<ScheduleRequest>(r.Message.Value).DueAt, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task Reconcile_ScheduledLongAfterItsStart_StartsIt()
    {
        await _scenario.AddClientsAsync(2);
        var startAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)))).GetProperty("id").GetInt64();
        // As if its start had been due two minutes ago and the Scheduler had lost it.
        await api.WithDbAsync(db => db.Mailings.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.StartAt, DateTimeOffset.UtcNow.AddMinutes(-2))));

        Assert.Equal(2, (await _scenario.StartedAsync(id)).Count);
    }

    [Fact]
    public async Task Reconcile_MessageLongOverdue_IsSentNow()
    {
        await _scenario.AddClientsAsync(1);
        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();
        var message = (await _scenario.StartedAsync(id)).Single();
        await _scenario.ReportAsync(message, SmsOutcome.Retry, error: "HTTP 500");
        await _scenario.MessageWhenAsync(message.Id, m => m.Dispatch == 2 && m.DueAt is not null, "rescheduled through the Scheduler");
        await api.WithDbAsync(db => db.SmsMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.DueAt, DateTimeOffset.UtcNow.AddMinutes(-2))));

        using var sends = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.MessagesSend);
        var resent = await sends.ConsumeFirstAsync(
            r => MessageJson.Deserialize<SmsSendItem>(r.Message.Value) is { Dispatch: 2 } item && item.MessageId == message.Id, MailingScenario.Timeout);

        Assert.Equal(message.Id.ToString(CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(resent.Message.Key!));
        Assert.Null((await _scenario.MessageAsync(message.Id)).DueAt);
    }

    public void Dispose() => _scenario.Dispose();
}

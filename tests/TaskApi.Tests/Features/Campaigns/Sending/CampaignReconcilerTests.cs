using System.Text;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Features.Tasks.Scheduling;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Campaigns.Sending;

/// <summary>
/// PostgreSQL knows every campaign's send time, every email's retry and every email not yet reported: what the Scheduler
/// held (its Redis lost its data) and what Kafka held (it lost its data) is delivered again.
/// </summary>
// Alone: the reconciler's passes race the test's own writes, and other classes' load stretches those races.
[Collection(nameof(AloneCollection))]
public sealed class CampaignReconcilerTests(CampaignReconcilerTests.SilentChannelApi api) : IClassFixture<CampaignReconcilerTests.SilentChannelApi>, IDisposable
{
    /// <summary>Reconciles every second; a send time or retry a minute overdue was lost; an email silent for 2 s was lost.</summary>
    public sealed class SilentChannelApi : TaskApiFactory
    {
        public SilentChannelApi()
        {
            Settings["Reconciliation:Interval"] = "00:00:01";
            Settings["Reconciliation:OverdueAfter"] = "00:01:00";
            Settings["Reconciliation:EmailSendTimeout"] = "00:00:00";
            Settings["Reconciliation:SilenceMargin"] = "00:00:02";
            // A retry a minute ahead, so it waits for the Scheduler until the test makes it overdue.
            Settings["Campaigns:Retries:BaseDelay"] = "00:01:00";
        }
    }

    private readonly CampaignScenario _scenario = new(api);

    [Fact]
    public async Task Reconcile_SendTimeLongPast_StartsTheCampaign()
    {
        var list = await _scenario.AddListAsync(CampaignScenario.Addresses(2));
        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(), [list], sendAt: DateTimeOffset.UtcNow.AddHours(1)));
        // As if its send time had come two minutes ago and the Scheduler had lost it with Redis's data.
        await api.WithDbAsync(db => db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SendAt, DateTimeOffset.UtcNow.AddMinutes(-2))));

        await _scenario.InStatusAsync(id, "sending");
        Assert.Equal(2, (await _scenario.EmailsAsync(id)).Count);
    }

    [Fact]
    public async Task Reconcile_RetryLongOverdue_IsSentNow()
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        var email = emails.Single();
        await _scenario.ReportAsync(email, EmailOutcome.Retry, error: "451 try later");
        await _scenario.EmailWhenAsync(email.Id, e => e.Dispatch == 2 && e.DueAt is not null, "rescheduled through the Scheduler");
        // As if the retry had been due two minutes ago and the Scheduler had lost it with Redis's data.
        await api.WithDbAsync(db => db.EmailMessages.Where(e => e.Id == email.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.DueAt, DateTimeOffset.UtcNow.AddMinutes(-2))));

        using var sends = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.EmailsSend);
        await sends.ConsumeFirstAsync(r => MessageJson.Deserialize<EmailSendItem>(r.Message.Value) is { Dispatch: 2 } item && item.MessageId == email.Id, CampaignScenario.Timeout);

        Assert.Null((await _scenario.EmailAsync(email.Id)).DueAt);
    }

    [Fact]
    public async Task Reconcile_EmailNeverReportedWhileNothingMoves_IsDispatchedAgainWithItsCampaignsContent()
    {
        var (campaign, emails) = await _scenario.SendingAsync(1);
        var email = emails.Single();

        // No worker reports anything: its send record (or the report) is taken for lost, and sent again with the content
        // the worker needs to compose it, under the same dispatch number, so no attempt is counted for the copy.
        using var sends = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.EmailsSend);
        await sends.ConsumeMatchingAsync(2, r => MessageJson.Deserialize<EmailSendItem>(r.Message.Value) is { Dispatch: 1 } item && item.MessageId == email.Id, CampaignScenario.Timeout);
        using var changes = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.CampaignsChanges);
        var key = Encoding.UTF8.GetString(MessageKeys.For(campaign));
        await changes.ConsumeMatchingAsync(2, r => r.Message.Key is { } k && Encoding.UTF8.GetString(k) == key, CampaignScenario.Timeout);
        var copied = await _scenario.EmailAsync(email.Id);
        Assert.Equal((1, 0), (copied.Dispatch, copied.Attempts));

        // Its report of the first dispatch still settles it.
        await _scenario.ReportAsync(email, EmailOutcome.Sent);
        await _scenario.EmailWhenAsync(email.Id, e => e.Status == TaskApi.Features.Campaigns.EmailStatus.Sent, "sent");
    }

    public void Dispose() => _scenario.Dispose();
}

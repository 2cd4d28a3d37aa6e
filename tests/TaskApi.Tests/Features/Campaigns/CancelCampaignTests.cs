using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Features.Campaigns;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Campaigns;

public sealed class CancelCampaignTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly CampaignScenario _scenario = new(api);

    [Fact]
    public async Task Delete_Scheduled_CancelsItsSendTime()
    {
        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(),
            [await _scenario.AddListAsync(CampaignScenario.Addresses(1))], DateTimeOffset.UtcNow.AddHours(1)));

        var response = await _scenario.Http.DeleteAsync($"/campaigns/{id}");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var scheduleId = CampaignRecords.DueScheduleId(id);
        Assert.Equal(scheduleId, (await _scenario.ReadAsync<ScheduleCancel>(KafkaTopics.SchedulerCancels, [scheduleId]))[scheduleId].ScheduleId);
        // Its send time released anyway (the cancel lost the race) starts nothing.
        await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, MessageKeys.For(id), MessageJson.Serialize(new CampaignDue(id)));
        await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, MessageKeys.For(id), "{}"u8.ToArray());
        var deadLetter = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.CampaignsDueDeadLetter, id.ToString(), CampaignScenario.Timeout);
        Assert.Equal("The value is not a CampaignDue {campaignId}.", deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Empty(await _scenario.EmailsAsync(id));
    }

    [Fact]
    public async Task Delete_Sending_CancelsTheUnsentEmailsAndTellsTheWorkers()
    {
        var (id, emails) = await _scenario.SendingAsync(3);
        await _scenario.ReportAsync(emails[0], EmailOutcome.Sent);
        await _scenario.EmailWhenAsync(emails[0].Id, e => e.Status == EmailStatus.Sent, "sent");

        var response = await _scenario.Http.DeleteAsync($"/campaigns/{id}");

        var campaign = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", campaign.GetProperty("status").GetString());
        Assert.Equal((1, 2, 0), (campaign.GetProperty("messages").GetProperty("sent").GetInt32(),
            campaign.GetProperty("messages").GetProperty("cancelled").GetInt32(), campaign.GetProperty("messages").GetProperty("pending").GetInt32()));
        Assert.Equal([EmailStatus.Sent, EmailStatus.Cancelled, EmailStatus.Cancelled], (await _scenario.EmailsAsync(id)).Select(e => e.Status));
        using var changes = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.CampaignsChanges);
        var cancelled = await changes.ConsumeFirstAsync(
            r => MessageJson.Deserialize<CampaignChanged>(r.Message.Value) is { Cancelled: true } c && c.CampaignId == id, CampaignScenario.Timeout);
        Assert.NotNull(cancelled);
    }

    [Fact]
    public async Task Delete_Cancelled_ChangesNothing()
    {
        var (id, _) = await _scenario.SendingAsync(1);
        await _scenario.Http.DeleteAsync($"/campaigns/{id}");

        var again = await _scenario.Http.DeleteAsync($"/campaigns/{id}");

        Assert.Equal(200, (int)again.StatusCode);
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages").GetProperty("cancelled").GetInt32());
    }

    [Fact]
    public async Task Delete_Sent_Returns409()
    {
        var (id, emails) = await _scenario.SendingAsync(1);
        await _scenario.ReportAsync(emails[0], EmailOutcome.Sent);
        await _scenario.InStatusAsync(id, "sent");

        var problem = await (await _scenario.Http.DeleteAsync($"/campaigns/{id}")).ReadProblemAsync(409);

        Assert.Contains("sent", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Endpoints_UnknownCampaign_Return404()
    {
        await (await _scenario.Http.DeleteAsync($"/campaigns/{long.MaxValue}")).ReadProblemAsync(404);
        await (await _scenario.Http.GetAsync($"/campaigns/{long.MaxValue}")).ReadProblemAsync(404);
        await (await _scenario.Http.GetAsync($"/campaigns/{long.MaxValue}/stats")).ReadProblemAsync(404);
        await (await _scenario.Http.GetAsync($"/campaigns/{long.MaxValue}/messages")).ReadProblemAsync(404);
    }

    public void Dispose() => _scenario.Dispose();
}

using Tasks.Shared;
using Tasks.Testing;
using TaskApi.Features.Mailings;

namespace TaskApi.Tests.Features.Mailings;

public sealed class CancelMailingTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly MailingScenario _scenario = new(api);

    [Fact]
    public async Task Delete_Scheduled_CancelsItAndItsSchedulerEntriesAndTellsTheWorkers()
    {
        var startAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)))).GetProperty("id").GetInt64();

        var response = await _scenario.Http.DeleteAsync($"/mailings/{id}");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("cancelled", (await _scenario.GetAsync(id)).GetProperty("status").GetString());
        var cancels = await _scenario.ReadAsync<ScheduleCancel>(KafkaTopics.SchedulerCancels, [$"mailing-{id}-start-v1", $"mailing-{id}-end-v1"]);
        Assert.Equal(2, cancels.Count);
        var changes = await PipelineChangesAsync(id);
        Assert.True(changes.Cancelled);
    }

    [Fact]
    public async Task Delete_Running_CancelsEveryUnsentMessage()
    {
        await _scenario.AddClientsAsync(3);
        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();
        var messages = await _scenario.StartedAsync(id);
        await _scenario.ReportAsync(messages[0], SmsOutcome.Sent);
        await _scenario.MessageWhenAsync(messages[0].Id, m => m.Status == MessageStatus.Sent, "sent");

        var response = await _scenario.Http.DeleteAsync($"/mailings/{id}");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal([MessageStatus.Sent, MessageStatus.Cancelled, MessageStatus.Cancelled], (await _scenario.MessagesAsync(id)).Select(m => m.Status));
        var counts = (await _scenario.GetAsync(id)).GetProperty("messages");
        Assert.Equal((1, 2, 0), (counts.GetProperty("sent").GetInt32(), counts.GetProperty("cancelled").GetInt32(), counts.GetProperty("pending").GetInt32()));

        // A worker's late retry report for a cancelled message changes nothing.
        await _scenario.ReportAsync(messages[1], SmsOutcome.Retry, error: "HTTP 500");
        await _scenario.ReportAsync(messages[2], SmsOutcome.Sent);
        await _scenario.MessageWhenAsync(messages[2].Id, m => m.Status == MessageStatus.Sent, "sent after all");
        Assert.Equal(MessageStatus.Cancelled, (await _scenario.MessageAsync(messages[1].Id)).Status);
    }

    [Fact]
    public async Task Delete_Twice_LeavesItCancelled()
    {
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: DateTimeOffset.UtcNow.AddHours(1), endAt: DateTimeOffset.UtcNow.AddHours(2)))).GetProperty("id").GetInt64();
        await _scenario.Http.DeleteAsync($"/mailings/{id}");

        var again = await _scenario.Http.DeleteAsync($"/mailings/{id}");

        Assert.Equal(200, (int)again.StatusCode);
        Assert.Equal("cancelled", (await _scenario.GetAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_Finished_Returns409()
    {
        var id = (await _scenario.CreateAsync(_scenario.Body(tags: [$"{_scenario.Tag}-nobody"]))).GetProperty("id").GetInt64();
        await _scenario.InStatusAsync(id, "finished");

        var response = await _scenario.Http.DeleteAsync($"/mailings/{id}");

        var problem = await response.ReadProblemAsync(409);
        Assert.Contains("finished", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_Unknown_Returns404() => await (await _scenario.Http.DeleteAsync("/mailings/123456789")).ReadProblemAsync(404);

    private async Task<MailingChanged> PipelineChangesAsync(long id)
    {
        // Creation wrote one change and the cancel another: the last one counts.
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.MailingsChanges);
        var records = await consumer.ConsumeMatchingAsync(2, r => System.Text.Encoding.UTF8.GetString(r.Message.Key!) == id.ToString(), MailingScenario.Timeout);
        return MessageJson.Deserialize<MailingChanged>(records[^1].Message.Value);
    }

    public void Dispose() => _scenario.Dispose();
}

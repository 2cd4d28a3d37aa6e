using System.Net.Http.Json;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Mailings;

public sealed class UpdateMailingTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly MailingScenario _scenario = new(api);

    private async Task<long> ScheduledAsync(DateTimeOffset startAt) =>
        (await _scenario.CreateAsync(_scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)))).GetProperty("id").GetInt64();

    [Fact]
    public async Task Patch_Scheduled_ChangesWhatWasGivenAndMovesItsSchedules()
    {
        var startAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = await ScheduledAsync(startAt);
        var newStart = startAt.AddHours(1);

        var response = await _scenario.Http.PatchAsJsonAsync($"/mailings/{id}", new
        {
            text = "Changed",
            startAt = newStart.ToString("O"),
            endAt = newStart.AddHours(2).ToString("O"),
            filter = new { operatorCodes = new[] { "916" } },
            sendWindow = new { from = "10:00", to = "18:00" },
        });

        Assert.Equal(200, (int)response.StatusCode);
        var mailing = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Changed", mailing.GetProperty("text").GetString());
        Assert.Equal(["916"], mailing.GetProperty("filter").GetProperty("operatorCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("10:00", mailing.GetProperty("sendWindow").GetProperty("from").GetString());
        Assert.Equal(mailing.GetRawText(), (await _scenario.GetAsync(id)).GetRawText());
        var cancels = await _scenario.ReadAsync<ScheduleCancel>(KafkaTopics.SchedulerCancels, [$"mailing-{id}-start-v1", $"mailing-{id}-end-v1"]);
        Assert.Equal(2, cancels.Count);
        var start = $"mailing-{id}-start-v2";
        var requests = await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [start, $"mailing-{id}-end-v2"]);
        Assert.Equal(newStart, requests[start].DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(new MailingDue(id, MailingMoment.Start, 2), MessageJson.Deserialize<MailingDue>(requests[start].Value));
    }

    [Fact]
    public async Task Patch_OldVersionsStartDeliveredAfterAChange_IsIgnored()
    {
        var id = await ScheduledAsync(DateTimeOffset.UtcNow.AddHours(1));
        var moved = await _scenario.Http.PatchAsJsonAsync($"/mailings/{id}", new { startAt = DateTimeOffset.UtcNow.AddHours(2).ToString("O"), endAt = DateTimeOffset.UtcNow.AddHours(3).ToString("O") });
        Assert.Equal(200, (int)moved.StatusCode);

        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.Start, 1)));
        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.End, 1)));
        // The current version's end, on the same partition, proves the two before it were handled.
        await _scenario.ProduceAsync(KafkaTopics.MailingsDue, MessageKeys.For(id), MessageJson.Serialize(new MailingDue(id, MailingMoment.End, 2)));

        await _scenario.InStatusAsync(id, "finished");
        Assert.Equal(JsonValueKind.Null, (await _scenario.GetAsync(id)).GetProperty("startedAt").ValueKind);
    }

    [Fact]
    public async Task Patch_RunningEndAt_TellsTheWorkersTheNewEnd()
    {
        await _scenario.AddClientsAsync(1);
        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();
        await _scenario.InStatusAsync(id, "running");
        var endAt = DateTimeOffset.UtcNow.AddHours(5);

        var response = await _scenario.Http.PatchAsJsonAsync($"/mailings/{id}", new { endAt = endAt.ToString("O") });

        Assert.Equal(200, (int)response.StatusCode);
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.MailingsChanges);
        await consumer.ConsumeFirstAsync(
            r => MessageJson.Deserialize<MailingChanged>(r.Message.Value) is { } change && change.MailingId == id && Math.Abs((change.EndAt - endAt).TotalMilliseconds) < 1,
            MailingScenario.Timeout);
    }

    [Fact]
    public async Task Patch_RunningText_Returns409()
    {
        await _scenario.AddClientsAsync(1);
        var id = (await _scenario.CreateAsync(_scenario.Body())).GetProperty("id").GetInt64();
        await _scenario.InStatusAsync(id, "running");

        var response = await _scenario.Http.PatchAsJsonAsync($"/mailings/{id}", new { text = "too late" });

        var problem = await response.ReadProblemAsync(409);
        Assert.Contains("text", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Patch_Cancelled_Returns409()
    {
        var id = await ScheduledAsync(DateTimeOffset.UtcNow.AddHours(1));
        await _scenario.Http.DeleteAsync($"/mailings/{id}");

        await (await _scenario.Http.PatchAsJsonAsync($"/mailings/{id}", new { text = "x" })).ReadProblemAsync(409);
    }

    [Fact]
    public async Task Patch_EndBeforeTheStart_Returns400NamingEndAt()
    {
        var startAt = DateTimeOffset.UtcNow.AddHours(3);
        var id = await ScheduledAsync(startAt);

        var response = await _scenario.Http.PatchAsJsonAsync($"/mailings/{id}", new { endAt = startAt.AddHours(-1).ToString("O") });

        await response.ReadFieldErrorsAsync("endAt");
        Assert.Equal(startAt.AddHours(1), (await _scenario.GetAsync(id)).GetProperty("endAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData("""{"text":""}""", "text")]
    [InlineData("""{"endAt":"2020-01-01T00:00:00Z"}""", "endAt")]
    [InlineData("""{"filter":{"operatorCodes":["x"]}}""", "filter.operatorCodes[0]")]
    [InlineData("""{"sendWindow":{"from":"25:00","to":"10:00"}}""", "sendWindow.from")]
    public async Task Patch_InvalidField_Returns400NamingIt(string body, string field)
    {
        var id = await ScheduledAsync(DateTimeOffset.UtcNow.AddHours(1));

        var response = await _scenario.Http.PatchAsync($"/mailings/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Patch_Unknown_Returns404() =>
        await (await _scenario.Http.PatchAsJsonAsync("/mailings/123456789", new { text = "x" })).ReadProblemAsync(404);

    public void Dispose() => _scenario.Dispose();
}

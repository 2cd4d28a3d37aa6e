using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using TaskApi.Features.Schedules.Firing;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Schedules;

[Collection(nameof(ScheduleApiCollection))]
public sealed class UpdateScheduleTests(ScheduleApi api)
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Patch_Cron_TheOldOccurrenceDoesNotFireAndTheNewOneDoes()
    {
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 0 9 * * *", "UTC"))).Id();
        var (old, _) = await api.RequestedAsync(id, due => due.Version == 1);

        var changed = await PatchAsync(id, new { cron = "0 30 10 * * *" });

        Assert.Equal("0 30 10 * * *", changed.GetProperty("cron").GetString());
        Assert.All(changed.NextAts(), at => Assert.Equal((10, 30), (at.Hour, at.Minute)));
        await api.CancelledAsync(old.ScheduleId);
        var (renewed, due) = await api.RequestedAsync(id, due => due.Version == 2);
        Assert.Equal(changed.NextAts()[0], due.Occurrence);
        // Should the Scheduler release the old occurrence all the same (the cancel came too late), it is ignored; the
        // records of one schedule are handled in order, so once the new one's task exists the old one was handled.
        await api.ReleaseAsync(old);
        await api.ReleaseAsync(renewed);
        await Eventually.UntilAsync(async () => (await api.TasksOfAsync(id)).Count > 0, ScheduleTesting.Timeout, "the new occurrence's task");
        Assert.Equal([$"schedule {id} {due.Occurrence.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"], (await api.TasksOfAsync(id)).Select(t => t.IdempotencyKey));
    }

    [Fact]
    public async Task Patch_PauseThenResume_NothingFiresWhilePausedAndTheFirstOccurrenceAfterResumingDoes()
    {
        using var handled = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), ScheduleMetrics.OccurrencesInstrument);
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 * * * *", "Europe/Berlin"))).Id();
        var (beforePause, _) = await api.RequestedAsync(id, due => due.Version == 1);

        var paused = await PatchAsync(id, new { paused = true });

        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Empty(paused.NextAts());
        Assert.Null((await api.StoredAsync(id)).NextOccurrence);
        await api.CancelledAsync(beforePause.ScheduleId);
        await api.ReleaseAsync(beforePause);
        await Eventually.UntilAsync(() => Task.FromResult(handled.Total >= 1), ScheduleTesting.Timeout, "the released occurrence to be handled");
        Assert.Empty(await api.TasksOfAsync(id));

        var resumed = await PatchAsync(id, new { paused = false });

        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.Equal(5, resumed.NextAts().Length);
        var (afterResume, due) = await api.RequestedAsync(id, due => due.Version == 3);
        Assert.Equal(resumed.NextAts()[0], due.Occurrence);
        await api.ReleaseAsync(afterResume);
        await Eventually.UntilAsync(async () => (await api.TasksOfAsync(id)).Count == 1, ScheduleTesting.Timeout, "the resumed occurrence's task");
    }

    [Fact]
    public async Task Patch_EndBeforeTheNextOccurrence_Returns400NamingCron()
    {
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 9 1 1 *", "UTC"))).Id();

        var response = await _client.PatchAsJsonAsync($"/schedules/{id}", new { endAt = DateTimeOffset.UtcNow.AddDays(1) });

        await response.ReadFieldErrorsAsync("cron");
    }

    [Theory]
    [InlineData("""{"cron":"not a cron"}""", "cron")]
    [InlineData("""{"timezone":"Europe/Atlantis"}""", "timezone")]
    [InlineData("""{"endAt":"2020-01-01T00:00:00Z"}""", "endAt")]
    [InlineData("""{"paused":"yes"}""", "paused")]
    public async Task Patch_InvalidField_Returns400NamingIt(string body, string field)
    {
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 9 * * *"))).Id();

        var response = await _client.PatchAsync($"/schedules/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ReadFieldErrorsAsync(field);
    }

    private async Task<JsonElement> PatchAsync(long id, object body)
    {
        var response = await _client.PatchAsJsonAsync($"/schedules/{id}", body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

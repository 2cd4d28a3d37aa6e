using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Schedules.Firing;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Schedules;

[Collection(nameof(ScheduleApiCollection))]
public sealed class DeleteScheduleTests(ScheduleApi api)
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_Schedule_Returns204CancelsItsOccurrenceAndNoneFiresAfter()
    {
        using var handled = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), ScheduleMetrics.OccurrencesInstrument);
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("*/5 * * * * *", "UTC"))).Id();
        var (pending, _) = await api.RequestedAsync(id, _ => true);

        var response = await _client.DeleteAsync($"/schedules/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.GetAsync($"/schedules/{id}")).ReadProblemAsync(404);
        await api.CancelledAsync(pending.ScheduleId);
        await api.ReleaseAsync(pending);
        await Eventually.UntilAsync(() => Task.FromResult(handled.Total >= 1), ScheduleTesting.Timeout, "the released occurrence to be handled");
        Assert.Empty(await api.TasksOfAsync(id));
        await (await _client.DeleteAsync($"/schedules/{id}")).ReadProblemAsync(404);
    }
}

using System.Diagnostics.Metrics;
using System.Text;
using EmbeddedKafka;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Schedules.Firing;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Schedules.Firing;

/// <summary>Two TaskApi replicas on one database, both consuming <c>schedules.due</c>: one task per occurrence.</summary>
public sealed class ScheduleDueConsumerReplicasTests : IAsyncLifetime
{
    private readonly KafkaMockCluster _kafka = PipelineKafka.Start();
    private PostgresDatabase _database = null!;
    private Replica _first = null!;
    private Replica _second = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _first = new Replica(_database, _kafka);
        _second = new Replica(_database, _kafka);
        await Task.WhenAll(((IAsyncLifetime)_first).InitializeAsync(), ((IAsyncLifetime)_second).InitializeAsync());
    }

    [Fact]
    public async Task Occurrence_ReleasedToBothReplicasAtOnce_CreatesOneTask()
    {
        using var firstHandled = new InstrumentRecorder(_first.Services.GetRequiredService<IMeterFactory>(), ScheduleMetrics.OccurrencesInstrument);
        using var secondHandled = new InstrumentRecorder(_second.Services.GetRequiredService<IMeterFactory>(), ScheduleMetrics.OccurrencesInstrument);
        var id = (await ScheduleTesting.CreateAsync(_first.CreateClient(), ScheduleTesting.Body("0 0 12 * * *", "UTC"))).Id();
        var (request, _) = await _first.RequestedAsync(id, _ => true);

        // The same occurrence as two Scheduler replicas might release it, under keys that spread it over every
        // partition, so both replicas' consumers take it, at about the same time.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(copy => _first.ReleaseAsync(request, Encoding.UTF8.GetBytes($"copy-{copy}"))));

        await Eventually.UntilAsync(() => Task.FromResult(firstHandled.Total + secondHandled.Total >= 8), ScheduleTesting.Timeout, "every copy to be handled");
        Assert.Single(await _first.TasksOfAsync(id));
        Assert.True(firstHandled.Total > 0 && secondHandled.Total > 0, $"Both replicas handled copies: {firstHandled.Total} and {secondHandled.Total}.");
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
        _kafka.Dispose();
    }

    private sealed class Replica(PostgresDatabase database, KafkaMockCluster kafka) : TaskApiFactory(database, kafka);
}

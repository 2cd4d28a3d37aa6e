namespace TaskApi.Tests.Features.Schedules;

/// <summary>
/// The API the schedule endpoint tests share (one host for their classes, which run one after another): its reconciler
/// never takes an occurrence for missed, so only the records a test releases fire anything.
/// </summary>
public sealed class ScheduleApi : TaskApiFactory
{
    public ScheduleApi() => Settings["Reconciliation:OverdueAfter"] = "1.00:00:00";
}

[CollectionDefinition(nameof(ScheduleApiCollection))]
public sealed class ScheduleApiCollection : ICollectionFixture<ScheduleApi>;

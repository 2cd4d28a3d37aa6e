using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Schedules.ListSchedules;

/// <summary><c>GET /schedules</c>: a page of schedules, newest first.</summary>
public sealed class ListSchedulesEndpoint(TasksDbContext db) : Endpoint<PageRequest, SchedulePage>
{
    public override void Configure()
    {
        Get("/");
        Group<SchedulesGroup>();
        Policies(ApiAccess.TasksRead);
        Description(endpoint => endpoint.WithName("ListSchedules"));
        Summary(summary =>
        {
            summary.Summary = "List schedules, newest first";
            summary.Description = Paging.Description + ". An app lists only the schedules it created; operators list every schedule.";
        });
    }

    public override async Task<SchedulePage> ExecuteAsync(PageRequest request, CancellationToken ct)
    {
        var schedules = db.Schedules.AsNoTracking().VisibleTo(User);
        var total = await schedules.CountUpToCapAsync(ct);
        var items = await schedules.OrderByDescending(s => s.Id).PageOf(request).ToListAsync(ct);
        return new SchedulePage(items.Select(ScheduleResponse.From).ToList(), request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}

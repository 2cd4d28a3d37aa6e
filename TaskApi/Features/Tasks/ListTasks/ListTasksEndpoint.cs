using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Model;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Tasks.ListTasks;

/// <summary><c>GET /tasks</c>: a page of tasks, newest first, optionally of one status, name prefix and creator.</summary>
public sealed class ListTasksEndpoint(TasksDbContext db) : Endpoint<ListTasksRequest, TaskPage>
{
    public override void Configure()
    {
        Get("/");
        Group<TasksGroup>();
        Policies(ApiAccess.TasksRead);
        Description(endpoint => endpoint.WithName("ListTasks"));
        Summary(summary =>
        {
            summary.Summary = "List tasks, newest first";
            summary.Description = "Optionally filtered by status, name prefix (case-sensitive) and creator (createdBy, exact); " + Paging.Description + ". " +
                "An app lists only the tasks it created; operators list every task.";
        });
    }

    public override async Task<TaskPage> ExecuteAsync(ListTasksRequest request, CancellationToken ct)
    {
        var tasks = db.Tasks.AsNoTracking().VisibleTo(User);
        if (request.Status is not null)
        {
            var status = TaskItemStatusNames.ByName[request.Status];
            tasks = tasks.Where(t => t.Status == status);
        }
        if (request.Name is { } prefix)
        {
            // LIKE 'prefix%' with the prefix's own % and _ escaped: ix_tasks_name (varchar_pattern_ops) serves it.
            tasks = tasks.Where(t => t.Name.StartsWith(prefix));
        }
        if (request.CreatedBy is { } creator)
        {
            tasks = tasks.Where(t => t.CreatedBy == creator);
        }

        var total = await tasks.CountUpToCapAsync(ct);
        var items = await tasks
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .PageOf(request)
            .ToListAsync(ct);
        return new TaskPage(items.Select(TaskResponse.From).ToList(), request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}

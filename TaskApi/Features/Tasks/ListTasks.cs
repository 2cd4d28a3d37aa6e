using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>Filter and page of <c>GET /tasks</c>.</summary>
/// <param name="Status">Only tasks in this status: new, in_progress, success or error.</param>
/// <param name="Page">Page number, from 1 (default 1).</param>
/// <param name="PageSize">Tasks per page, 1 to 100 (default 20).</param>
public sealed record ListTasksQuery(string? Status, int? Page, int? PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    // Keeps the row offset far below int.MaxValue and away from pathological OFFSET scans.
    public const int MaxPage = 1_000_000;
}

/// <summary>One page of tasks, newest first.</summary>
/// <param name="Items">The tasks on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many tasks match the filter in all.</param>
public sealed record TaskPage(IReadOnlyList<TaskResponse> Items, int Page, int PageSize, long Total);

public sealed class ListTasksQueryValidator : AbstractValidator<ListTasksQuery>
{
    public ListTasksQueryValidator()
    {
        RuleFor(q => q.Status)
            .Must(status => TaskItemStatusNames.ByName.ContainsKey(status!))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", TaskItemStatusNames.ByName.Keys)}.")
            .When(q => q.Status is not null);
        RuleFor(q => q.Page).InclusiveBetween(1, ListTasksQuery.MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListTasksQuery.MaxPageSize);
    }
}

public static class ListTasks
{
    public static async Task<Ok<TaskPage>> Handle(
        [AsParameters] ListTasksQuery query,
        TasksDbContext db,
        CancellationToken cancellationToken)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? ListTasksQuery.DefaultPageSize;

        var tasks = db.Tasks.AsNoTracking();
        if (query.Status is not null)
        {
            var status = TaskItemStatusNames.ByName[query.Status];
            tasks = tasks.Where(t => t.Status == status);
        }

        var total = await tasks.LongCountAsync(cancellationToken);
        var items = await tasks
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new TaskPage(items.Select(TaskResponse.From).ToList(), page, pageSize, total));
    }
}

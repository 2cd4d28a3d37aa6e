using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.ListTasks;

/// <summary>Filter and page of <c>GET /tasks</c>, from the query string.</summary>
public sealed class ListTasksRequest : IPagedRequest
{
    /// <summary>Only tasks in this status: new, in_progress, success, error or cancelled.</summary>
    public string? Status { get; set; }

    /// <summary>Page number, from 1 (default 1).</summary>
    public int? Page { get; set; }

    /// <summary>Tasks per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }
}

public sealed class ListTasksValidator : Validator<ListTasksRequest>
{
    public ListTasksValidator()
    {
        RuleFor(q => q.Status)
            .Must(status => TaskItemStatusNames.ByName.ContainsKey(status!))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", TaskItemStatusNames.ByName.Keys)}.")
            .When(q => q.Status is not null);
        Include(new PagingRules());
    }
}

/// <summary>One page of tasks, newest first.</summary>
/// <param name="Items">The tasks on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many tasks match the filter in all, counted up to 10,000.</param>
/// <param name="TotalCapped">More than 10,000 match: Total is then 10,000, a lower bound.</param>
public sealed record TaskPage(IReadOnlyList<TaskResponse> Items, int Page, int PageSize, long Total, bool TotalCapped);

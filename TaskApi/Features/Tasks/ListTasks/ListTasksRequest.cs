using FastEndpoints;
using FluentValidation;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.ListTasks;

/// <summary>Filter and page of <c>GET /tasks</c>, from the query string.</summary>
public sealed class ListTasksRequest
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    // Keeps the row offset far below int.MaxValue and away from pathological OFFSET scans.
    public const int MaxPage = 1_000_000;

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
        RuleFor(q => q.Page).InclusiveBetween(1, ListTasksRequest.MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListTasksRequest.MaxPageSize);
    }
}

/// <summary>One page of tasks, newest first.</summary>
/// <param name="Items">The tasks on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many tasks match the filter in all.</param>
public sealed record TaskPage(IReadOnlyList<TaskResponse> Items, int Page, int PageSize, long Total);

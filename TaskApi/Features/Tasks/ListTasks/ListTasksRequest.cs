using FastEndpoints;
using FluentValidation;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.ListTasks;

/// <summary>Filter and page of <c>GET /tasks</c>, from the query string.</summary>
public sealed class ListTasksRequest : IPagedRequest
{
    /// <summary>Only tasks in this status: new, in_progress, success, error or cancelled.</summary>
    public string? Status { get; set; }

    /// <summary>Only tasks whose name starts with this (case-sensitive; 1 to 200 characters).</summary>
    public string? Name { get; set; }

    /// <summary>Only tasks this caller created: an operator's id, an app's client id, or "kafka" (1 to 200 characters).</summary>
    public string? CreatedBy { get; set; }

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
        FilterText(RuleFor(q => q.Name), CreateTaskValidator.MaxNameLength).When(q => q.Name is not null);
        FilterText(RuleFor(q => q.CreatedBy), CreatedByColumn.MaxLength).When(q => q.CreatedBy is not null);
        Include(new PagingRules());
    }

    /// <summary>A text filter given at all is 1 to <paramref name="maxLength"/> visible characters: what its column can hold.</summary>
    private static IRuleBuilderOptions<ListTasksRequest, string?> FilterText(IRuleBuilder<ListTasksRequest, string?> rule, int maxLength) =>
        rule.NotEmpty().MaximumLength(maxLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
}

/// <summary>One page of tasks, newest first.</summary>
/// <param name="Items">The tasks on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many tasks match the filter in all, counted up to 10,000.</param>
/// <param name="TotalCapped">More than 10,000 match: Total is then 10,000, a lower bound.</param>
public sealed record TaskPage(IReadOnlyList<TaskResponse> Items, int Page, int PageSize, long Total, bool TotalCapped);

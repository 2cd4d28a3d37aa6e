using FluentValidation;

namespace TaskApi.Features.Mailings;

/// <summary>The page of a list request: page from 1, pageSize 1 to 100 (default 20).</summary>
public interface IPagedRequest
{
    /// <summary>Page number, from 1 (default 1).</summary>
    int? Page { get; }

    /// <summary>Items per page, 1 to 100 (default 20).</summary>
    int? PageSize { get; }
}

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    // Keeps the row offset far below int.MaxValue and away from pathological OFFSET scans.
    public const int MaxPage = 1_000_000;

    public static int PageOf(this IPagedRequest request) => request.Page ?? 1;
    public static int PageSizeOf(this IPagedRequest request) => request.PageSize ?? DefaultPageSize;
    public static int SkipOf(this IPagedRequest request) => (request.PageOf() - 1) * request.PageSizeOf();

    public static void AddPagingRules<T>(this AbstractValidator<T> validator) where T : IPagedRequest
    {
        validator.RuleFor(q => q.Page).InclusiveBetween(1, MaxPage);
        validator.RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
    }
}

/// <summary>One page of a list.</summary>
/// <param name="Items">This page's items.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many items match in all.</param>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

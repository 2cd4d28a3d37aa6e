using FluentValidation;

namespace TaskApi.Infrastructure;

/// <summary>The page and page size a list endpoint reads from its query string.</summary>
public interface IPagedRequest
{
    int? Page { get; }
    int? PageSize { get; }
}

/// <summary>How every list endpoint pages: from page 1, 1 to 100 items a page, 20 unless asked.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    // Keeps the row offset far below int.MaxValue and away from pathological OFFSET scans.
    public const int MaxPage = 1_000_000;

    public static int PageOrFirst(this IPagedRequest request) => request.Page ?? 1;

    public static int PageSizeOrDefault(this IPagedRequest request) => request.PageSize ?? DefaultPageSize;

    /// <summary>The items of the request's page of an ordered query.</summary>
    public static IQueryable<T> PageOf<T>(this IOrderedQueryable<T> query, IPagedRequest request) =>
        query.Skip((request.PageOrFirst() - 1) * request.PageSizeOrDefault()).Take(request.PageSizeOrDefault());
}

/// <summary>The bounds of page and pageSize, included by each list endpoint's validator.</summary>
public sealed class PagingRules : AbstractValidator<IPagedRequest>
{
    public PagingRules()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, Paging.MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
    }
}

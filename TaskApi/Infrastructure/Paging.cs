using System.Linq.Expressions;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace TaskApi.Infrastructure;

/// <summary>The page and page size a list endpoint reads from its query string.</summary>
public interface IPagedRequest
{
    /// <summary>Page number, from 1 (default 1).</summary>
    int? Page { get; }

    /// <summary>Items per page, 1 to 100 (default 20).</summary>
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

    /// <summary>The request's page of an ordered query, each item as <paramref name="item"/> makes it, and how many match in all.</summary>
    public static async Task<ItemsPage<TItem>> ToPageAsync<T, TItem>(
        this IOrderedQueryable<T> query, IPagedRequest request, Expression<Func<T, TItem>> item, CancellationToken ct)
    {
        var total = await query.LongCountAsync(ct);
        var items = await query.PageOf(request).Select(item).ToListAsync(ct);
        return new ItemsPage<TItem>(items, request.PageOrFirst(), request.PageSizeOrDefault(), total);
    }
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

/// <summary>The query of a list endpoint that takes nothing but the page.</summary>
public sealed class PageRequest : IPagedRequest
{
    /// <summary>Page number, from 1 (default 1).</summary>
    public int? Page { get; set; }

    /// <summary>Items per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }
}

public sealed class PageRequestValidator : Validator<PageRequest>
{
    public PageRequestValidator() => Include(new PagingRules());
}

/// <summary>One page of a list.</summary>
/// <param name="Items">This page's items.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many items match in all.</param>
public sealed record ItemsPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

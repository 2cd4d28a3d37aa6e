using System.Linq.Expressions;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace TaskApi.Infrastructure;

/// <summary>The page and page size a list endpoint reads from its query string.</summary>
public interface IPagedRequest
{
    /// <summary>Page number, from 1 (default 1); page × pageSize at most 10,000.</summary>
    int? Page { get; }

    /// <summary>Items per page, 1 to 100 (default 20).</summary>
    int? PageSize { get; }
}

/// <summary>A list in id order that can also be paged by cursor, for pages deeper than an offset may reach.</summary>
public interface ICursorPagedRequest : IPagedRequest
{
    /// <summary>Only items after this id: the previous page's nextAfter. Instead of page, at any depth.</summary>
    long? After { get; }
}

/// <summary>
/// How every list endpoint pages: from page 1, 1 to 100 items a page, 20 unless asked; no deeper than
/// <see cref="MaxDepth"/> items by page number (an OFFSET reads and drops every row before the page), deeper by cursor
/// where a list can be that long; totals counted up to <see cref="MaxCountedTotal"/>, so a page never counts every match.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>How far page numbers reach: page × pageSize at most this.</summary>
    public const int MaxDepth = 10_000;

    /// <summary>Totals are counted up to this; beyond it a page says so (totalCapped) instead of counting on.</summary>
    public const int MaxCountedTotal = MaxDepth;

    /// <summary>How a list says how it pages, in its OpenAPI description.</summary>
    public const string Description =
        "paged with page (from 1) and pageSize (1..100, default 20), page × pageSize at most 10,000; total is counted up to " +
        "10,000 (totalCapped: more match)";

    /// <summary>How a list paged by cursor says so in its OpenAPI description.</summary>
    public const string ByCursorDescription =
        "paged with page (from 1) and pageSize (1..100, default 20) up to 10,000 items deep, or at any depth with after " +
        "(the previous page's nextAfter) instead of page; total is counted up to 10,000 (totalCapped: more match)";

    public static int PageOrFirst(this IPagedRequest request) => request.Page ?? 1;

    public static int PageSizeOrDefault(this IPagedRequest request) => request.PageSize ?? DefaultPageSize;

    /// <summary>The items of the request's page of an ordered query.</summary>
    public static IQueryable<T> PageOf<T>(this IOrderedQueryable<T> query, IPagedRequest request) =>
        query.Skip((request.PageOrFirst() - 1) * request.PageSizeOrDefault()).Take(request.PageSizeOrDefault());

    /// <summary>How many items match, counted up to <see cref="MaxCountedTotal"/> (one more tells that there are more).</summary>
    public static async Task<CountedTotal> CountUpToCapAsync<T>(this IQueryable<T> query, CancellationToken ct)
    {
        var counted = await query.Take(MaxCountedTotal + 1).LongCountAsync(ct);
        return new CountedTotal(Math.Min(counted, MaxCountedTotal), counted > MaxCountedTotal);
    }

    /// <summary>The request's page of an ordered query, each item as <paramref name="item"/> makes it, and how many match.</summary>
    public static async Task<ItemsPage<TItem>> ToPageAsync<T, TItem>(
        this IOrderedQueryable<T> query, IPagedRequest request, Expression<Func<T, TItem>> item, CancellationToken ct)
    {
        var total = await query.CountUpToCapAsync(ct);
        var items = await query.PageOf(request).Select(item).ToListAsync(ct);
        return new ItemsPage<TItem>(items, request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }

    /// <summary>
    /// The request's page of a query in ascending <paramref name="id"/> order: by cursor when it gives one (an index
    /// seek at any depth), else by page number; with the cursor of the next page when this one is full.
    /// </summary>
    public static async Task<ItemsPage<TItem>> ToIdPageAsync<T, TItem>(
        this IQueryable<T> query, ICursorPagedRequest request, Expression<Func<T, long>> id, Expression<Func<T, TItem>> item,
        Func<TItem, long> idOf, CancellationToken ct)
    {
        var afterCursor = request.After is { } after
            ? Expression.Lambda<Func<T, bool>>(Expression.GreaterThan(id.Body, Expression.Constant(after)), id.Parameters)
            : null;
        var (items, total) = await query.ToKeyPageAsync(request, afterCursor, id, item, ct);
        long? nextAfter = items.Count == request.PageSizeOrDefault() ? idOf(items[^1]) : null;
        return new ItemsPage<TItem>(items, request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped, nextAfter);
    }

    /// <summary>
    /// The request's page of a query in ascending <paramref name="key"/> order, and how many match: the first page
    /// size of those <paramref name="afterCursor"/> admits when a cursor is given (an index seek at any depth), else
    /// the page by number. A list whose key is not a number builds its own cursor condition and next cursor.
    /// </summary>
    public static async Task<(List<TItem> Items, CountedTotal Total)> ToKeyPageAsync<T, TKey, TItem>(
        this IQueryable<T> query, IPagedRequest request, Expression<Func<T, bool>>? afterCursor, Expression<Func<T, TKey>> key,
        Expression<Func<T, TItem>> item, CancellationToken ct)
    {
        var total = await query.CountUpToCapAsync(ct);
        var page = afterCursor is null
            ? query.OrderBy(key).PageOf(request)
            : query.Where(afterCursor).OrderBy(key).Take(request.PageSizeOrDefault());
        return (await page.Select(item).ToListAsync(ct), total);
    }
}

/// <summary>A total counted up to <see cref="Paging.MaxCountedTotal"/>.</summary>
/// <param name="Total">The number that match, or the cap when <paramref name="Capped"/>.</param>
/// <param name="Capped">More match than were counted.</param>
public readonly record struct CountedTotal(long Total, bool Capped);

/// <summary>The bounds of page and pageSize, included by each list endpoint's validator.</summary>
public sealed class PagingRules : AbstractValidator<IPagedRequest>
{
    public PagingRules()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, Paging.MaxDepth);
        RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
        RuleFor(q => q.Page)
            .Must((q, page) => (long)page!.Value * q.PageSizeOrDefault() <= Paging.MaxDepth)
            .WithMessage(q => $"Pages reach {Paging.MaxDepth:N0} items deep: with pageSize {q.PageSizeOrDefault()} 'page' can be at most {Paging.MaxDepth / q.PageSizeOrDefault()}.")
            .When(q => q.Page is >= 1 and <= Paging.MaxDepth && q.PageSize is null or (>= 1 and <= Paging.MaxPageSize));
    }
}

/// <summary>The paging rules of a list that can also be paged by cursor.</summary>
public sealed class CursorPagingRules : AbstractValidator<ICursorPagedRequest>
{
    /// <summary>The message of a cursor given together with a page number, in every list paged by cursor.</summary>
    public const string PageOrAfter = "Give either 'page' or 'after', not both.";

    public CursorPagingRules()
    {
        Include(new PagingRules());
        RuleFor(q => q.After).GreaterThan(0);
        RuleFor(q => q.Page).Null().WithMessage(PageOrAfter).When(q => q.After is not null);
    }
}

/// <summary>The query of a list endpoint that takes nothing but the page.</summary>
public sealed class PageRequest : IPagedRequest
{
    /// <summary>Page number, from 1 (default 1); page × pageSize at most 10,000.</summary>
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
/// <param name="Page">This page's number (1 for a page by cursor).</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many items match in all, counted up to 10,000.</param>
/// <param name="TotalCapped">More than 10,000 match: Total is then 10,000, a lower bound.</param>
/// <param name="NextAfter">In lists paged by cursor: the cursor (after=) of the next page, when this one is full.</param>
public sealed record ItemsPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total, bool TotalCapped, long? NextAfter = null);

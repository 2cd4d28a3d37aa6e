using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Users.ListUsers;

/// <summary>The page of <c>GET /users</c>, from the query string.</summary>
public sealed class ListUsersRequest : IPagedRequest
{
    /// <summary>Page number, from 1 (default 1); page × pageSize at most 10,000 (deeper: after).</summary>
    public int? Page { get; set; }

    /// <summary>Users per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }

    /// <summary>Only users whose id comes after this one (by code point): the previous page's nextAfter, instead of page, at any depth.</summary>
    public string? After { get; set; }
}

public sealed class ListUsersValidator : Validator<ListUsersRequest>
{
    public ListUsersValidator()
    {
        Include(new PagingRules());
        RuleFor(q => q.After).MustBeUserId().When(q => q.After is not null);
        RuleFor(q => q.Page).Null().WithMessage(CursorPagingRules.PageOrAfter).When(q => q.After is not null);
    }
}

/// <summary>One page of users, by id.</summary>
/// <param name="Items">The users on this page.</param>
/// <param name="Page">This page's number (1 for a page by cursor).</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many users there are, counted up to 10,000.</param>
/// <param name="TotalCapped">More than 10,000: Total is then 10,000, a lower bound.</param>
/// <param name="NextAfter">The cursor (after=) of the next page, when this one is full.</param>
public sealed record UserPage(IReadOnlyList<UserResponse> Items, int Page, int PageSize, long Total, bool TotalCapped, string? NextAfter);

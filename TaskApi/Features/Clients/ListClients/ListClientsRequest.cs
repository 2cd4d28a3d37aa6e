using FluentValidation;
using FastEndpoints;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients.ListClients;

/// <summary>Filters and page of <c>GET /clients</c>, from the query string.</summary>
public sealed class ListClientsRequest : ICursorPagedRequest
{
    /// <summary>Only clients with exactly this tag; <c>tag=</c> (empty) for clients without one.</summary>
    public string? Tag { get; set; }

    /// <summary>Only clients with this operator code (3 digits).</summary>
    public string? OperatorCode { get; set; }

    /// <summary>Only clients whose phone starts with these digits: 1 to 15, optionally after a '+' (e.g. 7916 or +7916123).</summary>
    public string? Phone { get; set; }

    /// <summary>Page number, from 1 (default 1); page × pageSize at most 10,000 (deeper: after).</summary>
    public int? Page { get; set; }

    /// <summary>Clients per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }

    /// <summary>Only clients after this id: the previous page's nextAfter, instead of page, at any depth.</summary>
    public long? After { get; set; }
}

public sealed class ListClientsValidator : Validator<ListClientsRequest>
{
    private const string PhonePrefixPattern = "^\\+?[0-9]{1,15}$";

    public ListClientsValidator()
    {
        RuleFor(q => q.Tag).MustBeTag();
        RuleFor(q => q.OperatorCode).MustBeOperatorCode();
        RuleFor(q => q.Phone).MatchesEntirely(PhonePrefixPattern)
            .WithMessage($"'{{PropertyName}}' must be 1 to {MobileNumbers.MaxDigits} digits, optionally after a leading '+'.");
        Include(new CursorPagingRules());
    }
}

/// <summary>One page of clients, by id.</summary>
/// <param name="Items">The clients on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many clients match the filters in all, counted up to 10,000.</param>
/// <param name="TotalCapped">More than 10,000 match: Total is then 10,000, a lower bound.</param>
/// <param name="NextAfter">The cursor (after=) of the next page, when this one is full.</param>
public sealed record ClientPage(IReadOnlyList<ClientResponse> Items, int Page, int PageSize, long Total, bool TotalCapped, long? NextAfter);

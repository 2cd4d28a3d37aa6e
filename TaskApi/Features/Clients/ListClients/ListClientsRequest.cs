using FastEndpoints;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients.ListClients;

/// <summary>Filters and page of <c>GET /clients</c>, from the query string.</summary>
public sealed class ListClientsRequest : IPagedRequest
{
    /// <summary>Only clients with exactly this tag; <c>tag=</c> (empty) for clients without one.</summary>
    public string? Tag { get; set; }

    /// <summary>Only clients with this operator code (3 digits).</summary>
    public string? OperatorCode { get; set; }

    /// <summary>Page number, from 1 (default 1).</summary>
    public int? Page { get; set; }

    /// <summary>Clients per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }
}

public sealed class ListClientsValidator : Validator<ListClientsRequest>
{
    public ListClientsValidator()
    {
        RuleFor(q => q.Tag).MustBeTag();
        RuleFor(q => q.OperatorCode).MustBeOperatorCode();
        Include(new PagingRules());
    }
}

/// <summary>One page of clients, by id.</summary>
/// <param name="Items">The clients on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many clients match the filters in all.</param>
public sealed record ClientPage(IReadOnlyList<ClientResponse> Items, int Page, int PageSize, long Total);

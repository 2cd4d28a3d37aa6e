using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.ListMailings;

/// <summary>Filter and page of <c>GET /mailings</c>, from the query string.</summary>
public sealed class ListMailingsRequest : IPagedRequest, IStatusFilteredRequest
{
    /// <summary>Only mailings in this status: scheduled, running, finished or cancelled.</summary>
    public string? Status { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }
}

public sealed class ListMailingsValidator : Validator<ListMailingsRequest>
{
    public ListMailingsValidator()
    {
        Include(new StatusFilterRules<MailingStatus>());
        Include(new PagingRules());
    }
}

/// <summary><c>GET /mailings</c>: a page of mailings, newest first, optionally of one status.</summary>
public sealed class ListMailingsEndpoint(TasksDbContext db) : Endpoint<ListMailingsRequest, ItemsPage<MailingResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint.WithName("ListMailings"));
        Summary(summary =>
        {
            summary.Summary = "List mailings, newest first";
            summary.Description = "Optionally filtered by status; " + Paging.Description + ".";
        });
    }

    public override async Task<ItemsPage<MailingResponse>> ExecuteAsync(ListMailingsRequest request, CancellationToken ct)
    {
        var mailings = db.Mailings.AsNoTracking();
        if (request.Status is not null)
        {
            var status = StatusNames<MailingStatus>.Parse(request.Status);
            mailings = mailings.Where(m => m.Status == status);
        }
        var total = await mailings.CountUpToCapAsync(ct);
        var items = await mailings.OrderByDescending(m => m.Id).PageOf(request).ToListAsync(ct);
        return new ItemsPage<MailingResponse>(items.Select(MailingResponse.From).ToList(), request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}

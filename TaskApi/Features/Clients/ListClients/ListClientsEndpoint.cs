using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients.ListClients;

/// <summary><c>GET /clients</c>: a page of clients in id order, optionally of one tag, one operator code and a phone prefix.</summary>
public sealed class ListClientsEndpoint(TasksDbContext db) : Endpoint<ListClientsRequest, ClientPage>
{
    public override void Configure()
    {
        Get("/");
        Group<ClientsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint.WithName("ListClients"));
        Summary(summary =>
        {
            summary.Summary = "List clients in id order";
            summary.Description = "Optionally only those with exactly this tag and/or operator code (the clients a mailing with them would " +
                "reach) and/or whose phone starts with the given digits (a search by phone); " + Paging.ByCursorDescription + ".";
        });
    }

    public override async Task<ClientPage> ExecuteAsync(ListClientsRequest request, CancellationToken ct)
    {
        var clients = db.Clients.AsNoTracking();
        if (request.Tag is not null)
        {
            clients = clients.Where(c => c.Tag == request.Tag);
        }
        if (request.OperatorCode is not null)
        {
            clients = clients.Where(c => c.OperatorCode == request.OperatorCode);
        }
        if (request.Phone is not null)
        {
            // A LIKE 'digits%' that ix_clients_phone_prefix serves whatever the database's collation.
            var prefix = MobileNumbers.Digits(request.Phone);
            clients = clients.Where(c => c.Phone.StartsWith(prefix));
        }

        var page = await clients.ToIdPageAsync(request, c => c.Id, c => ClientResponse.From(c), c => c.Id, ct);
        return new ClientPage(page.Items, page.Page, page.PageSize, page.Total, page.TotalCapped, page.NextAfter);
    }
}

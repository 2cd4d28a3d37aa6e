using FastEndpoints;
using TaskApi.Infrastructure;
using TaskApi.Model;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients.ImportClients;

/// <summary><c>POST /clients/import</c>: creates or updates up to 10,000 clients at once, by phone, all or nothing.</summary>
public sealed class ImportClientsEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<ImportClientsRequest, ImportClientsResponse>
{
    public override void Configure()
    {
        Post("/import");
        Group<ClientsGroup>();
        Policies(ApiAccess.MailingsWrite);
        RequestBinder(new RequestBinder<ImportClientsRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(ImportClientsValidator.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("ImportClients")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Import clients";
            summary.Description = $"A JSON array of 1 to {ImportClientsValidator.MaxClients} clients with the fields and rules of POST /clients, " +
                "upserted by phone: a new phone creates a client (createdBy: the importer), a known one has its operatorCode, tag and " +
                "timezone replaced (and updatedAt set; its createdBy stays). All rows are stored or none: any invalid row answers 400 " +
                "listing every invalid row by index and field ([3].phone, [17].timezone), and a phone given twice names both rows.";
            summary.Responses[StatusCodes.Status200OK] = "Every row was stored: how many clients were created and how many updated.";
            summary.Responses[StatusCodes.Status400BadRequest] = "Some rows are invalid, or the array is empty or too long; nothing was stored.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {ImportClientsValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<ImportClientsResponse> ExecuteAsync(ImportClientsRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var importer = User.Id();
        return await ClientUpsert.UpsertAsync(db, request.Select(row => row.ToClient(now, importer)).ToList(), importer, now, ct);
    }
}

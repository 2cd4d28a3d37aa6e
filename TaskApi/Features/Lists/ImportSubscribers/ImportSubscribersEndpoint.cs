using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.ImportSubscribers;

/// <summary><c>POST /lists/{id}/subscribers</c>: adds or updates up to 10,000 subscribers of a list at once, by address, all or nothing.</summary>
public sealed class ImportSubscribersEndpoint(TasksDbContext db, TimeProvider clock)
    : Endpoint<ImportSubscribersRequest, Results<Ok<ImportSubscribersResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/subscribers");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        // The body and the route only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<ImportSubscribersRequest>(BindingSource.JsonBody | BindingSource.RouteValues));
        MaxRequestBodySize(ImportSubscribersValidator.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("ImportSubscribers")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Import subscribers into a list";
            summary.Description = $"A JSON array of 1 to {ImportSubscribersValidator.MaxSubscribers} subscribers ({{email, name, fields}}), " +
                "upserted by address within the list, compared case-insensitively: a new address is created subscribed; a known one has " +
                "its name and fields replaced (and updatedAt set) and keeps its status, so an unsubscribed address stays unsubscribed. " +
                "All rows are stored or none: any invalid row answers 400 listing every invalid row by index and field ([3].email, " +
                "[17].fields), and an address given twice names both rows.";
            summary.Responses[StatusCodes.Status200OK] = "Every row was stored: how many subscribers were created and how many updated.";
            summary.Responses[StatusCodes.Status400BadRequest] = "Some rows are invalid, or the array is empty or too long, or the id is not an integer; nothing was stored.";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {ImportSubscribersValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Ok<ImportSubscribersResponse>, ProblemHttpResult>> ExecuteAsync(ImportSubscribersRequest request, CancellationToken ct)
    {
        // Looked up first, so an unknown list costs no failed statement; one deleted after the look-up fails the upsert's foreign key.
        if (!await db.ListExistsAsync(request.Id, ct))
        {
            return ListProblems.NotFound(request.Id);
        }
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        // The validator let through only rows that are there.
        var counts = await SubscriberUpsert.UpsertAsync(db, request.Id, request.Subscribers!.OfType<SubscriberRequest>(), now, ct);
        return counts is null ? ListProblems.NotFound(request.Id) : TypedResults.Ok(counts);
    }
}

using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.CreateList;

/// <summary><c>POST /lists</c>: a new, empty subscriber list.</summary>
public sealed class CreateListEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<SubscriberListRequest, Created<SubscriberListResponse>>
{
    public override void Configure()
    {
        Post("/");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        // The body only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<SubscriberListRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(SubscriberListRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateList")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create a subscriber list";
            summary.Description = "An empty list with a name; POST /lists/{id}/subscribers fills it.";
            summary.Responses[StatusCodes.Status201Created] = "The list was created; Location is its address.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {SubscriberListRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Created<SubscriberListResponse>> ExecuteAsync(SubscriberListRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var list = new SubscriberList { Name = request.Name, CreatedAt = now, CreatedBy = User.Id(), UpdatedAt = now };
        db.SubscriberLists.Add(list);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/lists/{list.Id}", SubscriberListResponse.New(list));
    }
}

using FastEndpoints;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Users.ImportUsers;

/// <summary><c>POST /users/import</c>: creates or replaces up to 10,000 users at once, by id, all or nothing.</summary>
public sealed class ImportUsersEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<ImportUsersRequest, ImportUsersResponse>
{
    public override void Configure()
    {
        Post("/import");
        Group<UsersGroup>();
        Policies(ApiAccess.NotificationsWrite);
        RequestBinder(new RequestBinder<ImportUsersRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(ImportUsersValidator.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("ImportUsers")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Import users";
            summary.Description = $"A JSON array of 1 to {ImportUsersValidator.MaxUsers} users, each a userId and the fields of PUT /users/{{userId}} " +
                "with their rules and defaults, upserted by userId: a new id creates a user (createdBy: the importer), a known one has every " +
                "field replaced (and updatedAt set; its createdBy stays). All rows are stored or none: any invalid row answers 400 listing " +
                "every invalid row by index and field ([3].email, [17].quietHours.to), and a userId given twice is named at the later row by its first.";
            summary.Responses[StatusCodes.Status200OK] = "Every row was stored: how many users were created and how many replaced.";
            summary.Responses[StatusCodes.Status400BadRequest] = "Some rows are invalid, or the array is empty or too long; nothing was stored.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {ImportUsersValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<ImportUsersResponse> ExecuteAsync(ImportUsersRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var importer = User.Id();
        var (created, updated) = await UserUpsert.UpsertAsync(db, request.Select(row => row.ToUser(row.UserId, now, importer)), importer, now, ct);
        return new ImportUsersResponse(created, updated);
    }
}

using FastEndpoints;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Identity.Features.Apps.DeleteApp;

/// <summary><c>DELETE /apps/{id}</c>: an admin deletes an app; it gets no more tokens and its tokens stop working.</summary>
public sealed class DeleteAppEndpoint(AppManager apps, AppChanges changes, IdentityDb db, AuditTrail audit)
    : Endpoint<AppIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<AppsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Delete an app";
            summary.Responses[StatusCodes.Status404NotFound] = "No app has this id.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(AppIdRequest request, CancellationToken ct)
    {
        await using var transaction = await audit.BeginAsync(ct);
        if (await changes.FindAsync(request.Id, ct) is not { } app)
        {
            return AppChanges.NotFound(request.Id);
        }
        await changes.RevokeTokensAsync(request.Id, ct);
        audit.Record(AuditActions.AppDeleted, $"/apps/{request.Id}", $"name {app.DisplayName}");
        await db.SaveChangesAsync(ct);
        await apps.DeleteAsync(app, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}

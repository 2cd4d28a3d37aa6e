using FastEndpoints;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Identity.Features.Operators.DeleteOperator;

/// <summary><c>DELETE /operators/{id}</c>: an admin deletes an operator; its tokens stop working.</summary>
public sealed class DeleteOperatorEndpoint(UserManager<Operator> operators, IdentityDb db, OperatorChanges changes, AuditTrail audit)
    : Endpoint<OperatorIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<OperatorsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Delete an operator";
            summary.Responses[StatusCodes.Status404NotFound] = "No operator has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "This is the last enabled admin.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(OperatorIdRequest request, CancellationToken ct)
    {
        await using var transaction = await audit.BeginAsync(ct);
        if (await operators.FindByIdAsync(request.Id) is not { } user)
        {
            return OperatorChanges.NotFound(request.Id);
        }
        if (await changes.IsLastAdminAsync(user, ct))
        {
            return OperatorChanges.LastAdmin();
        }
        await changes.RevokeTokensAsync(user, ct);
        audit.Record(AuditActions.OperatorDeleted, $"/operators/{user.Id}", $"login {user.UserName}");
        await db.SaveChangesAsync(ct);
        await operators.DeleteAsync(user);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}

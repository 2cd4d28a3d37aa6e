using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Tasks.Shared;

namespace Identity.Features.Operators.UpdateOperator;

/// <summary>What changes; a field left out stays as it is.</summary>
public sealed class UpdateOperatorRequest
{
    /// <summary>The operator's id.</summary>
    public string Id { get; set; } = "";

    /// <summary>admin, operator or viewer.</summary>
    public string? Role { get; set; }

    /// <summary>true: the operator can no longer sign in and its tokens stop working.</summary>
    public bool? Disabled { get; set; }
}

public sealed class UpdateOperatorValidator : Validator<UpdateOperatorRequest>
{
    public UpdateOperatorValidator()
    {
        RuleFor(r => r.Role).Must(role => role is null || Roles.All.Contains(role))
            .WithMessage($"'role' must be one of {string.Join(", ", Roles.All)}.");
        RuleFor(r => r).Must(r => r.Role is not null || r.Disabled is not null).WithName("body")
            .WithMessage("Give 'role' or 'disabled'.");
    }
}

/// <summary>
/// <c>PATCH /operators/{id}</c>: an admin changes an operator's role or disables it. Either stops the operator's
/// existing tokens (a token carries the role it was issued with), so the operator signs in again for the new role.
/// </summary>
public sealed class UpdateOperatorEndpoint(UserManager<Operator> operators, IdentityDb db, OperatorChanges changes, AuditTrail audit, TimeProvider clock)
    : Endpoint<UpdateOperatorRequest, Results<Ok<OperatorResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/{id}");
        Group<OperatorsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Change an operator's role, or disable or enable it";
            summary.Responses[StatusCodes.Status404NotFound] = "No operator has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "This would leave no enabled admin.";
        });
    }

    public override async Task<Results<Ok<OperatorResponse>, ProblemHttpResult>> ExecuteAsync(UpdateOperatorRequest request, CancellationToken ct)
    {
        await using var transaction = await audit.BeginAsync(ct);
        if (await operators.FindByIdAsync(request.Id) is not { } user)
        {
            return OperatorChanges.NotFound(request.Id);
        }
        var losesAdmin = (request.Role is { } role && role != Tasks.Shared.Roles.Admin) || request.Disabled == true;
        if (losesAdmin && await changes.IsLastAdminAsync(user, ct))
        {
            return OperatorChanges.LastAdmin();
        }

        var roleChanged = request.Role is { } newRole && newRole != user.Role;
        var disabling = request.Disabled == true && !user.Disabled;
        user.Role = request.Role ?? user.Role;
        user.Disabled = request.Disabled ?? user.Disabled;
        if (roleChanged || disabling)
        {
            await changes.RevokeTokensAsync(user, ct);
        }
        audit.Record(AuditActions.OperatorUpdated, $"/operators/{user.Id}", $"role {user.Role}, disabled {user.Disabled}");
        await operators.UpdateAsync(user);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(OperatorResponse.From(user, clock.GetUtcNow()));
    }
}

using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Identity.Features.Operators.ResetPassword;

public sealed class ResetPasswordRequest
{
    /// <summary>The operator's id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The new password: at least 12 characters.</summary>
    public string Password { get; set; } = "";
}

public sealed class ResetPasswordValidator : Validator<ResetPasswordRequest>
{
    public ResetPasswordValidator() => RuleFor(r => r.Password).NotEmpty().MinimumLength(12).MaximumLength(256);
}

/// <summary>
/// <c>POST /operators/{id}/password</c>: an admin sets a new password for an operator. A lockout ends, and the
/// operator's tokens stop working (whoever knew the old password may hold some).
/// </summary>
public sealed class ResetPasswordEndpoint(UserManager<Operator> operators, IdentityDb db, OperatorChanges changes, AuditTrail audit)
    : Endpoint<ResetPasswordRequest, Results<NoContent, ProblemHttpResult, ValidationProblem>>
{
    public override void Configure()
    {
        Post("/{id}/password");
        Group<OperatorsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Set an operator's password";
            summary.Responses[StatusCodes.Status404NotFound] = "No operator has this id.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ExecuteAsync(ResetPasswordRequest request, CancellationToken ct)
    {
        await using var transaction = await audit.BeginAsync(ct);
        if (await operators.FindByIdAsync(request.Id) is not { } user)
        {
            return OperatorChanges.NotFound(request.Id);
        }
        // Checked first, so a refused password leaves the old one in place (the two calls below are not one).
        foreach (var validator in operators.PasswordValidators)
        {
            if (await validator.ValidateAsync(operators, user, request.Password) is { Succeeded: false } refused)
            {
                return TypedResults.ValidationProblem(OperatorChanges.Errors(refused));
            }
        }
        await operators.RemovePasswordAsync(user);
        await operators.AddPasswordAsync(user, request.Password);
        await operators.SetLockoutEndDateAsync(user, null);
        await operators.ResetAccessFailedCountAsync(user);
        await changes.RevokeTokensAsync(user, ct);
        audit.Record(AuditActions.OperatorPasswordReset, $"/operators/{user.Id}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}

using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Tasks.Shared;

namespace Identity.Features.Operators.CreateOperator;

/// <summary>A new operator.</summary>
public sealed class CreateOperatorRequest
{
    /// <summary>What the operator signs in with: 3 to 64 letters, digits and <c>-._@</c>, unique.</summary>
    public string Login { get; set; } = "";

    /// <summary>At least 12 characters.</summary>
    public string Password { get; set; } = "";

    /// <summary>admin, operator or viewer.</summary>
    public string Role { get; set; } = "";
}

public sealed class CreateOperatorValidator : Validator<CreateOperatorRequest>
{
    public CreateOperatorValidator()
    {
        // \z, not $: $ also matches before a final line break, so "admin\n" would pass this rule.
        RuleFor(r => r.Login).NotEmpty().Length(3, 64).Matches(@"^[A-Za-z0-9._@-]+\z")
            .WithMessage("'login' may hold letters, digits and -._@ only.");
        RuleFor(r => r.Password).NotEmpty().MinimumLength(12).MaximumLength(256);
        RuleFor(r => r.Role).Must(Roles.All.Contains).WithMessage($"'role' must be one of {string.Join(", ", Roles.All)}.");
    }
}

/// <summary><c>POST /operators</c>: an admin creates an operator.</summary>
public sealed class CreateOperatorEndpoint(UserManager<Operator> operators, IdentityDb db, AuditTrail audit, TimeProvider clock)
    : Endpoint<CreateOperatorRequest, Results<Created<OperatorResponse>, ProblemHttpResult, ValidationProblem>>
{
    public override void Configure()
    {
        Post("/");
        Group<OperatorsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Create an operator";
            summary.Responses[StatusCodes.Status409Conflict] = "Another operator has this login.";
        });
    }

    public override async Task<Results<Created<OperatorResponse>, ProblemHttpResult, ValidationProblem>> ExecuteAsync(CreateOperatorRequest request, CancellationToken ct)
    {
        var user = new Operator { UserName = request.Login, Role = request.Role, CreatedAt = clock.GetUtcNow() };
        await using var transaction = await audit.BeginAsync(ct);
        if (await operators.FindByNameAsync(request.Login) is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: $"An operator with the login '{request.Login}' exists.");
        }
        var created = await operators.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return TypedResults.ValidationProblem(OperatorChanges.Errors(created));
        }
        audit.Record(AuditActions.OperatorCreated, $"/operators/{user.Id}", $"login {user.UserName}, role {user.Role}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/operators/{user.Id}", OperatorResponse.From(user, clock.GetUtcNow()));
    }
}

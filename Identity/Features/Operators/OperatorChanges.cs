using Identity.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Tasks.Shared;

namespace Identity.Features.Operators;

/// <summary>What every change to an operator's access does beside the change itself.</summary>
public sealed class OperatorChanges(IdentityDb db, IOpenIddictTokenManager tokens, TimeProvider clock)
{
    /// <summary>
    /// Stops the operator's tokens: here at once (their entries revoked, refresh tokens included), at TaskApi within
    /// seconds (the revocation it reads).
    /// </summary>
    public async Task RevokeTokensAsync(Operator user, CancellationToken ct)
    {
        db.RevokeTokens(user.Id, clock.GetUtcNow());
        await tokens.RevokeBySubjectAsync(user.Id, ct);
    }

    /// <summary>Whether taking <paramref name="user"/>'s admin rights away would leave no enabled admin (the caller holds the audit lock, so two admins cannot both go at once).</summary>
    public async Task<bool> IsLastAdminAsync(Operator user, CancellationToken ct) =>
        user.Role == Roles.Admin && !user.Disabled
        && !await db.Users.AnyAsync(other => other.Id != user.Id && other.Role == Roles.Admin && !other.Disabled, ct);

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult LastAdmin() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: "This is the last enabled admin: make another operator admin first.");

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No operator has the id '{id}'.");

    /// <summary>ASP.NET Core Identity's refusals as the field they are about.</summary>
    public static Dictionary<string, string[]> Errors(IdentityResult result) =>
        result.Errors
            .GroupBy(error => error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : error.Code.Contains("UserName", StringComparison.Ordinal) ? "login" : "body")
            .ToDictionary(field => field.Key, field => field.Select(error => error.Description).ToArray());
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tasks.ApiDefaults;

/// <summary>
/// An operator with one of <see cref="Roles"/>, or an app granted <see cref="Scope"/>: how every endpoint says who may
/// call it. Its description is what a 403 names as missing.
/// </summary>
public sealed class RoleOrScopeRequirement(IReadOnlyList<string> roles, string? scope) : IAuthorizationRequirement
{
    // The JWT claim, space-separated as RFC 9068 writes it (JwtBearer keeps it so), and OpenIddict's own, one per scope.
    private static readonly string[] ScopeClaimTypes = ["scope", "oi_scp"];

    public IReadOnlyList<string> Roles { get; } = roles;
    public string? Scope { get; } = scope;

    public bool IsMetBy(ClaimsPrincipal user) =>
        Roles.Any(user.IsInRole)
        || (Scope is not null && ScopeClaimTypes.SelectMany(type => user.FindAll(type)).Any(claim => Names(claim.Value, Scope)));

    /// <summary>Whether the space-separated <paramref name="scopes"/> name <paramref name="scope"/>; every request asks, so without allocating.</summary>
    private static bool Names(string scopes, string scope)
    {
        foreach (var range in scopes.AsSpan().Split(' '))
        {
            if (scopes.AsSpan()[range].SequenceEqual(scope))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => (Roles.Count, Scope) switch
    {
        (0, _) => $"the scope '{Scope}'",
        (_, null) => $"the role {string.Join(" or ", Roles.Select(role => $"'{role}'"))}",
        _ => $"the role {string.Join(" or ", Roles.Select(role => $"'{role}'"))}, or the scope '{Scope}'",
    };

    public sealed class Handler : AuthorizationHandler<RoleOrScopeRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleOrScopeRequirement requirement)
        {
            if (requirement.IsMetBy(context.User))
            {
                context.Succeed(requirement);
            }
            return Task.CompletedTask;
        }
    }
}

/// <summary>A 403 as a problem that names what the caller lacks; a 401 as a problem too (RFC 6750's header stays as the scheme wrote it).</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure)
        {
            var missing = failure.FailedRequirements.Select(Describe).Where(text => text is not null).Distinct().ToList();
            // RFC 6750's answer for a valid token that lacks what the request needs.
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
            await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: missing.Count == 0 ? "This token may not do this." : $"This needs {string.Join(" and ", missing)}, which this token does not have.")
                .ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string? Describe(IAuthorizationRequirement requirement) => requirement switch
    {
        RoleOrScopeRequirement roleOrScope => roleOrScope.ToString(),
        RolesAuthorizationRequirement roles => $"the role {string.Join(" or ", roles.AllowedRoles.Select(role => $"'{role}'"))}",
        _ => null,
    };
}

public static class AuthorizationExtensions
{
    /// <summary>Role-or-scope policies, and 403s as problems naming what is missing.</summary>
    public static IServiceCollection AddProblemAuthorizationResults(this IServiceCollection services) =>
        services
            .AddSingleton<IAuthorizationHandler, RoleOrScopeRequirement.Handler>()
            .AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
}

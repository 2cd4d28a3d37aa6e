using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Tasks.Shared;

namespace UnauthenticatedApi;

/// <summary>
/// The authorization middleware asks this for every endpoint's policy: it answers that the caller is one app granted
/// every app scope, and that the app may do everything, without looking at the request.
/// </summary>
public sealed class FixedAppPolicyEvaluator : IPolicyEvaluator
{
    public const string AppId = "bench-unauthenticated-app";
    private const string AuthenticationType = "fixed-app";

    /// <summary>The claims an app's access token gives TaskApi (their names as the identity service writes them).</summary>
    public static readonly ClaimsPrincipal App = new(new ClaimsIdentity(
        [
            new Claim(AccessClaims.Subject, AppId),
            new Claim(AccessClaims.Name, "PipelineBench without authentication"),
            new Claim(AccessClaims.Actor, ActorKinds.App),
            new Claim(AccessClaims.Scope, string.Join(' ', Scopes.ForApps)),
        ],
        AuthenticationType, AccessClaims.Name, AccessClaims.Role));

    private static readonly AuthenticateResult Authenticated = AuthenticateResult.Success(new AuthenticationTicket(App, AuthenticationType));

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        // What the default evaluator does with a successful result: the endpoint and the audit log read the caller here.
        context.User = App;
        return Task.FromResult(Authenticated);
    }

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
        Task.FromResult(PolicyAuthorizationResult.Success());
}

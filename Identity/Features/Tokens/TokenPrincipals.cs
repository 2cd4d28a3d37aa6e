using System.Security.Claims;
using Identity.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Tasks.Shared;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Features.Tokens;

/// <summary>
/// What an access token says about whom it was issued to. Every claim goes into the access token; an operator's name and
/// role go into the ID token too when the sign-in asked for <c>profile</c> (the console's, which shows them).
/// </summary>
public static class TokenPrincipals
{
    /// <summary>An operator: its id, login and role, for TaskApi and the identity service's own API.</summary>
    public static ClaimsPrincipal Operator(Operator user, IEnumerable<string> scopes, DateTimeOffset requestedAt)
    {
        var identity = NewIdentity(user.Id, user.UserName!, ActorKinds.Operator, requestedAt);
        identity.SetClaim(Claims.Role, user.Role);
        identity.SetScopes(scopes);
        identity.SetResources(Audiences.TaskApi, Audiences.Identity);
        var profile = identity.HasScope(OpenIddictConstants.Scopes.Profile);
        identity.SetDestinations(claim => profile && claim.Type is Claims.Name or Claims.Role
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>An app (or TaskApi itself): its client id, name and scopes, for TaskApi (TaskApi's own token: for the identity service).</summary>
    public static ClaimsPrincipal App(string clientId, string? name, IEnumerable<string> scopes, DateTimeOffset requestedAt)
    {
        var identity = NewIdentity(clientId, name ?? clientId, ActorKinds.App, requestedAt);
        identity.SetScopes(scopes);
        identity.SetResources(clientId == ServiceClients.TaskApi ? Audiences.Identity : Audiences.TaskApi);
        return Finished(identity);
    }

    /// <summary>The scopes an app's permissions grant.</summary>
    public static IEnumerable<string> PermittedScopes(IEnumerable<string> permissions) =>
        permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]);

    private static ClaimsIdentity NewIdentity(string subject, string name, string actor, DateTimeOffset requestedAt)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject).SetClaim(Claims.Name, name).SetClaim(AccessClaims.Actor, actor)
            .SetClaim(AccessClaims.RequestedAt, requestedAt.ToUnixTimeMilliseconds());
        return identity;
    }

    private static ClaimsPrincipal Finished(ClaimsIdentity identity)
    {
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}

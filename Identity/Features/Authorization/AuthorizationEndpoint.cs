using Identity.Features.Tokens;
using Identity.Infrastructure;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace Identity.Features.Authorization;

/// <summary>
/// <c>GET|POST /connect/authorize</c>, the authorization code flow's first leg (OpenIddict has checked the client, its
/// redirect URI and the PKCE challenge): an operator without a session at the identity service goes to the login page
/// and comes back here; one with a session gets a code for a principal like the password grant's. The console is our
/// own, so there is no consent page.
/// </summary>
public sealed class AuthorizationEndpoint(UserManager<Operator> operators, TimeProvider clock) : PassthroughEndpoint
{
    public const string Route = "/connect/authorize";

    // What an operator's sign-in may ask for: operators act by role, not by API scopes, as with the password grant.
    private static readonly string[] OperatorScopes = [OidcScopes.OpenId, OidcScopes.Profile, OidcScopes.OfflineAccess];

    protected override string Path => Route;

    public override async Task HandleAsync(CancellationToken ct)
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not pass the authorization request on.");
        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        // prompt=login, or a session older than max_age, asks for the password again (OpenID Connect Core §3.1.2.1).
        var usable = session.Succeeded && !request.HasPromptValue(PromptValues.Login)
            && !(request.MaxAge is { } maxAge && session.Properties?.IssuedUtc is { } issued && clock.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge));
        var user = usable ? await operators.GetUserAsync(session.Principal!) : null;
        // A session of an operator deleted, disabled or locked since it signed in is no session.
        if (user is null || user.Disabled || await operators.IsLockedOutAsync(user))
        {
            await Send.ResultAsync(request.HasPromptValue(PromptValues.None)
                // A silent sign-in (OpenID Connect Core §3.1.2.6) must not show a page: the client hears it needs one.
                ? TypedResults.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The operator is not signed in.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme])
                : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = ThisRequestAfterLogin(request) }, [IdentityConstants.ApplicationScheme]));
            return;
        }
        var principal = TokenPrincipals.Operator(user, request.GetScopes().Intersect(OperatorScopes), clock.GetUtcNow());
        await Send.ResultAsync(TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
    }

    /// <summary>
    /// This authorization request as a local address, where the login page sends the operator back to; without
    /// <c>prompt=login</c>, which the sign-in has then answered (else it would ask again and again).
    /// </summary>
    private string ThisRequestAfterLogin(OpenIddictRequest request)
    {
        var http = HttpContext.Request;
        var parameters = (http.HasFormContentType ? http.Form.ToList() : http.Query.ToList()).Where(p => p.Key != Parameters.Prompt).ToList();
        var prompts = request.GetPromptValues().Remove(PromptValues.Login);
        if (!prompts.IsEmpty)
        {
            parameters.Add(KeyValuePair.Create(Parameters.Prompt, new StringValues(string.Join(' ', prompts))));
        }
        return http.PathBase + http.Path + QueryString.Create(parameters);
    }
}

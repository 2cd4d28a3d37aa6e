using System.Security.Claims;
using FastEndpoints;
using Identity.Features.Apps;
using Identity.Infrastructure;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OidcClaims = OpenIddict.Abstractions.OpenIddictConstants.Claims;
using OidcErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace Identity.Features.Tokens;

/// <summary>
/// <c>POST /connect/token</c> (OpenIddict passes the request through once it has checked the protocol and the client):
/// operators with login and password (the password grant) and their refresh tokens, apps with their client credentials.
/// </summary>
public sealed class TokenEndpoint(
    UserManager<Operator> operators,
    OperatorCredentials credentials,
    AppManager apps,
    AuditTrail audit,
    IOptions<IdentityServiceOptions> options,
    TimeProvider clock) : EndpointWithoutRequest
{
    public const string Route = "/connect/token";

    private const string ArrivedAtItem = "identity.token-request-arrived-at";

    /// <summary>The same words for an unknown login, a wrong password, a locked or a disabled account: which of them is never told.</summary>
    public const string SignInRefused = "The login or password is wrong, or the account is locked or disabled. After 5 wrong passwords it is locked for 15 minutes.";

    public override void Configure()
    {
        Post(Route);
        AllowAnonymous();
        AllowFormData(urlEncoded: true);
        Description(endpoint => endpoint.ExcludeFromDescription());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not pass the token request on.");
        var result = request.IsPasswordGrantType() ? await PasswordAsync(request, ct)
            : request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType() ? await RedeemAsync(request, ct)
            : request.IsClientCredentialsGrantType() ? await ClientCredentialsAsync(request, ct)
            // OpenIddict refuses every grant the server does not allow before this endpoint is reached.
            : throw new InvalidOperationException($"The grant type {request.GrantType} reached the token endpoint.");
        await Send.ResultAsync(result);
    }

    /// <summary>
    /// Notes when a token request arrived, before OpenIddict reads the client and this endpoint the account: what the
    /// token's <see cref="Tasks.Shared.AccessClaims.RequestedAt"/> says, so that a revocation committed after that moment
    /// catches the token.
    /// </summary>
    public static IApplicationBuilder UseArrivalTimeOfTokenRequests(IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.Equals(Route, StringComparison.OrdinalIgnoreCase))
            {
                context.Items[ArrivedAtItem] = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            }
            return next(context);
        });

    private DateTimeOffset ArrivedAt => (DateTimeOffset)HttpContext.Items[ArrivedAtItem]!;

    private async Task<IResult> PasswordAsync(OpenIddictRequest request, CancellationToken ct)
    {
        if (await credentials.CheckAsync(request.Username, request.Password, "password", ct) is not { } user)
        {
            return Refused(OidcErrors.InvalidGrant, SignInRefused);
        }
        // Operators act by role; offline_access is what makes OpenIddict issue a refresh token beside the access token.
        return SignIn(TokenPrincipals.Operator(user, [OidcScopes.OfflineAccess], ArrivedAt));
    }

    /// <summary>A refresh token, or an authorization code (the console's sign-in), OpenIddict has validated (PKCE included).</summary>
    private async Task<IResult> RedeemAsync(OpenIddictRequest request, CancellationToken ct)
    {
        var redeemed = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = redeemed.Principal?.GetClaim(OidcClaims.Subject) is { } id ? await operators.FindByIdAsync(id) : null;
        if (user is null || user.Disabled || await operators.IsLockedOutAsync(user))
        {
            await audit.RecordRefusedAsync(redeemed.Principal?.GetClaim(OidcClaims.Name), AuditActions.SignInRefused,
                $"{request.GrantType}: a deleted, disabled or locked account", ct);
            return Refused(OidcErrors.InvalidGrant, SignInRefused);
        }
        // Claims as they are now: a role changed since the sign-in counts from the next access token.
        return SignIn(TokenPrincipals.Operator(user, redeemed.Principal!.GetScopes(), ArrivedAt));
    }

    private async Task<IResult> ClientCredentialsAsync(OpenIddictRequest request, CancellationToken ct)
    {
        // OpenIddict has authenticated the client and checked the requested scopes against its permissions.
        var app = await apps.FindByClientIdAsync(request.ClientId!, ct) ?? throw new InvalidOperationException("An authenticated client is unknown.");
        if (await apps.IsDisabledAsync(app, ct))
        {
            await audit.RecordRefusedAsync(request.ClientId, AuditActions.SignInRefused, "client credentials: disabled", ct);
            return Refused(OidcErrors.InvalidClient, "The app is disabled.");
        }
        var scopes = request.GetScopes() is { IsEmpty: false } requested ? requested : TokenPrincipals.PermittedScopes(await apps.GetPermissionsAsync(app, ct));
        var principal = TokenPrincipals.App(request.ClientId!, await apps.GetDisplayNameAsync(app, ct), scopes, ArrivedAt);

        // A token got with the previous secret of a rotated app ends with that secret's overlap, not after it.
        if (await apps.GetPreviousSecretUntilAsync(app, ct) is { } previousUntil && previousUntil - clock.GetUtcNow() is var left
            && left > TimeSpan.Zero && left < options.Value.AccessTokenLifetime
            && await apps.IsPreviousSecretAsync(app, request.ClientSecret!, ct))
        {
            principal.SetAccessTokenLifetime(left);
        }
        return SignIn(principal);
    }

    private static SignInHttpResult SignIn(ClaimsPrincipal principal) =>
        TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private IResult Refused(string error, string description)
    {
        RefusedTokenRequests.MarkRecorded(HttpContext);
        return TypedResults.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

}

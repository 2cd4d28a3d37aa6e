using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tasks.Shared;

namespace TasksConsole.Infrastructure.SignIn;

/// <summary>
/// The operators' sign-in (as dotnet/eShop's WebApp and the Blazor Web App OIDC sample): OpenID Connect's authorization
/// code flow with PKCE at the identity service, then a cookie session in the console. Every page needs a signed-in
/// operator of one of the three roles.
/// </summary>
public static class OperatorSignIn
{
    public const string SignOutPath = "/signout";

    public static void AddOperatorSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().Bind(builder.Configuration.GetSection(ConsoleOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OperatorSessions>();
        builder.Services.AddHttpClient<IRefreshTokenGrant, IdentityRefreshTokenGrant>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, _ => { });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<ConsoleOptions>>((cookie, console) => ConfigureCookie(cookie, console.Value));
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<ConsoleOptions>>((oidc, console) => ConfigureOpenIdConnect(oidc, console.Value));

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireRole(Roles.All)
                .Build());
        builder.Services.AddCascadingAuthenticationState();
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, ConsoleOptions console)
    {
        cookie.Cookie.Name = "console.session";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = console.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<OperatorSessions>();
            if (OperatorSessions.SessionIdOf(context.Principal!) is not { } sessionId || !sessions.IsActive(sessionId))
            {
                // TaskApi would not take the session's tokens (or the console restarted and has none): the operator signs
                // in again, silently while the identity service's own session lasts.
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }
        };
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, ConsoleOptions console)
    {
        oidc.Authority = console.IdentityUrl?.ToString();
        oidc.RequireHttpsMetadata = console.IdentityUrl?.Scheme == Uri.UriSchemeHttps;
        oidc.ClientId = console.ClientId;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        // A redirect back (GET) rather than a form post: the correlation and nonce cookies can then be SameSite=Lax,
        // which browsers send over plain http too (SameSite=None needs Secure).
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "offline_access" })
        {
            // Operators act by role: their tokens carry no API scopes, TaskApi reads the role.
            oidc.Scope.Add(scope);
        }
        // The tokens stay in this process (OperatorSessions), not in the cookie.
        oidc.SaveTokens = false;
        oidc.Events.OnTokenValidated = context =>
        {
            var response = context.TokenEndpointResponse!;
            var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            var expiresIn = int.TryParse(response.ExpiresIn, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
            // A key of its own for the session's tokens, in the cookie's principal.
            var sessionId = Guid.NewGuid().ToString("N");
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(OperatorSessions.SessionClaim, sessionId));
            context.HttpContext.RequestServices.GetRequiredService<OperatorSessions>()
                .Start(sessionId, new OperatorTokens(response.AccessToken, response.RefreshToken, clock.GetUtcNow().AddSeconds(expiresIn)));
            return Task.CompletedTask;
        };
        // The identity service ends its session for the client named (no ID token kept to name it with).
        oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            context.ProtocolMessage.ClientId = console.ClientId;
            return Task.CompletedTask;
        };
        // The identity service's claim names as they are (name, role), not WS-Federation URIs.
        oidc.MapInboundClaims = false;
        oidc.TokenValidationParameters.NameClaimType = AccessClaims.Name;
        oidc.TokenValidationParameters.RoleClaimType = AccessClaims.Role;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    }

    /// <summary>
    /// <c>POST /signout</c> (a form with the antiforgery token): ends the console's session and the identity service's,
    /// which sends the browser back to the console's start, where signing in begins again. The token is checked here
    /// whatever the body: the antiforgery middleware checks form posts only, and a forged post need not be one.
    /// </summary>
    public static void MapSignOut(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(SignOutPath, async Task<IResult> (HttpContext context, IAntiforgery antiforgery, OperatorSessions sessions) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Sign-out refused",
                    detail: "The form's antiforgery token is missing or not valid: sign out from a console page.");
            }
            if (OperatorSessions.SessionIdOf(context.User) is { } sessionId)
            {
                sessions.End(sessionId);
            }
            return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        }).DisableAntiforgery();
}

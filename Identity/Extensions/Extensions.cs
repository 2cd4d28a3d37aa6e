using System.Threading.RateLimiting;
using Identity.Features.Apps;
using Identity.Features.Authorization;
using Identity.Features.Tokens;
using Identity.Infrastructure;
using Identity.Pages.Account;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using Tasks.ApiDefaults;
using Tasks.Shared;

namespace Identity.Extensions;

public static class Extensions
{
    public const string SyncPolicy = "identity.sync";
    private const string CorsPolicy = "token-endpoint";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<IdentityDb>(ResourceNames.IdentityDatabase,
            settings =>
            {
                settings.ConnectionString = ConnectionDefaults.Apply(settings.ConnectionString);
                // Writes here are transactions around ASP.NET Core Identity's and OpenIddict's calls, whose tracked
                // entities a retried transaction would not start over with; a failed write answers 500 and is not half done.
                settings.DisableRetry = true;
            },
            options => options.UseOpenIddict());
        builder.Services.AddHostedService<DatabaseMigrator<IdentityDb>>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOptions<IdentityServiceOptions>()
            .Bind(builder.Configuration.GetSection(IdentityServiceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyRing>();
        builder.Services.AddHostedService<IdentitySetup>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<Features.Operators.OperatorChanges>();
        builder.Services.AddScoped<AppChanges>();
        builder.Services.AddScoped<OperatorCredentials>();
        // The login page of the console's sign-in, with its antiforgery token.
        builder.Services.AddRazorPages();

        builder.Services.AddIdentityCore<Operator>(identity =>
            {
                // Length over composition rules (NIST SP 800-63B): a long passphrase of letters is a good password.
                identity.Password.RequiredLength = 12;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 1;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<IdentityDb>();

        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityDb>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, AppManager>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenEndpoint.Route.TrimStart('/'))
                    .SetAuthorizationEndpointUris(AuthorizationEndpoint.Route.TrimStart('/'))
                    .SetEndSessionEndpointUris(EndSessionEndpoint.Route.TrimStart('/'));
                server.AllowPasswordFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow().AllowAuthorizationCodeFlow();
                // The console is a public client: only the code verifier (S256, OpenIddict's only method) ties a code to its requester.
                server.RequireProofKeyForCodeExchange();
                // The operators' password grant needs no client: a login and a password is what seed 003 asks for.
                server.AcceptAnonymousClients();
                server.RegisterScopes([.. Scopes.ForApps, Scopes.IdentitySync, OpenIddict.Abstractions.OpenIddictConstants.Scopes.OfflineAccess,
                    OpenIddict.Abstractions.OpenIddictConstants.Scopes.Profile]);
                // TaskApi validates access tokens itself from the JWKS: signed JWTs, not encrypted ones.
                server.DisableAccessTokenEncryption();
                server.AddEventHandler(RefusedTokenRequests.Descriptor);
                server.AddEventHandler(ProtocolScopesOfApps.Descriptor);
                server.RemoveEventHandler(ScopePermissions.Replaced).AddEventHandler(ScopePermissions.Descriptor);
                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends in front of the service in a deployment; on loopback there is none.
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.AddAudiences(Audiences.Identity);
                // A revoked token (its operator disabled, its role changed) stops at once here, not at its expiry.
                validation.EnableTokenEntryValidation();
                validation.UseAspNetCore();
            });
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerSettings>();
        // The endpoints ask for the manager by its own type, for what it adds to OpenIddict's.
        builder.Services.AddScoped(services => (AppManager)services.GetRequiredService<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>>());

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            // The operator's session at the identity service, which the authorization endpoint reads (the login page writes it).
            .AddCookie(IdentityConstants.ApplicationScheme, cookie =>
            {
                cookie.LoginPath = LoginModel.Route;
                cookie.ReturnUrlParameter = LoginModel.ReturnUrlParameter;
                cookie.Cookie.Name = "identity.session";
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        builder.Services.AddAuthorization(authorization => authorization.AddPolicy(SyncPolicy,
            policy => policy.AddRequirements(new RoleOrScopeRequirement([], Scopes.IdentitySync))));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<IdentityServiceOptions>>().Value;
                // The login page checks passwords as the token endpoint does, so it gets a bucket of its own of the same size:
                // without one it would be a way around the token endpoint's limit.
                return SignInRoute(context.Request) is { } route && settings.TokenRequestsPerSecond > 0
                    ? RateLimitPartition.GetTokenBucketLimiter($"{route} {context.Connection.RemoteIpAddress}", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.TokenRequestBurst,
                        TokensPerPeriod = settings.TokenRequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("");
            });
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                    detail: "Too many token requests or sign-ins from this address; try again in a second.").ExecuteAsync(context.HttpContext);
            };
        });
        builder.Services.AddCors();
        // The origins come from the validated options, like every other setting of the section.
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<IdentityServiceOptions>>((cors, identity) =>
            cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins([.. identity.Value.CorsOrigins])
                .WithMethods(HttpMethods.Post)
                // Swagger UI sends X-Requested-With with its token requests.
                .WithHeaders("Authorization", "Content-Type", "X-Requested-With")));

        builder.AddHttpApiDefaults();
        builder.Services.AddProblemAuthorizationResults();
    }

    public static WebApplication UseIdentityApi(this WebApplication app)
    {
        app.UseHttpApiDefaults(beforeAuthentication: identity =>
        {
            // Before authentication, where OpenIddict answers the token endpoint's refusals itself.
            TokenEndpoint.UseArrivalTimeOfTokenRequests(identity);
            identity.UseRateLimiter();
            identity.UseCors(CorsPolicy);
        });
        app.MapRazorPages();
        return app;
    }

    /// <summary>The route of a request that checks a password or a client secret (rate-limited per address), or null.</summary>
    private static string? SignInRoute(HttpRequest request) =>
        request.Path.Equals(TokenEndpoint.Route, StringComparison.OrdinalIgnoreCase) ? TokenEndpoint.Route
        : request.Path.Equals(LoginModel.Route, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(request.Method) ? LoginModel.Route
        : null;

    /// <summary>The issuer, lifetimes and keys, which come from the options and the key ring loaded at start-up.</summary>
    private sealed class ServerSettings(IOptions<IdentityServiceOptions> options, KeyRing keys) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions server)
        {
            server.Issuer = options.Value.Url;
            server.AccessTokenLifetime = options.Value.AccessTokenLifetime;
            server.RefreshTokenLifetime = options.Value.RefreshTokenLifetime;
            foreach (var key in keys.SigningKeys)
            {
                server.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
            }
            foreach (var key in keys.EncryptionKeys)
            {
                server.EncryptionCredentials.Add(new EncryptingCredentials(key, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
            }
        }
    }
}

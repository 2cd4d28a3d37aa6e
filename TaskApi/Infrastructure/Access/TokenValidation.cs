using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tasks.ApiDefaults;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// Every route needs a bearer token from the identity service, validated here from its published keys: issuer,
/// audience (<c>taskapi</c>), lifetime, RS256 signature, type <c>at+jwt</c>, and not revoked. Failures answer 401 with
/// RFC 6750's <c>WWW-Authenticate</c> and a problem; a missing role or scope answers 403 naming it.
/// </summary>
public static class TokenValidation
{
    public static IHostApplicationBuilder AddTokenValidation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(IdentityClient.HttpClientName);
        builder.Services.AddSingleton<IdentityClient>();
        builder.Services.AddSingleton<RevokedTokens>();
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddHostedService<RevocationSync>();
        builder.Services.AddHealthChecks().AddCheck<RevocationsHealthCheck>("identity-revocations");

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, BearerSettings>();
        builder.Services.AddAuthorization(authorization =>
        {
            authorization.AddApiAccessPolicies();
            // A route that declares nothing needs a token all the same; public routes say AllowAnonymous.
            authorization.FallbackPolicy = authorization.DefaultPolicy;
        });
        builder.Services.AddProblemAuthorizationResults();
        return builder;
    }

    /// <summary>The bearer handler's settings, which need the identity service's address and the revocations.</summary>
    private sealed class BearerSettings(IOptions<AuthOptions> auth, IHttpClientFactory httpClients, RevokedTokens revoked, ValidatedTokenCache validated)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        private const string NotReadyItem = "auth.revocations-not-loaded";

        public void Configure(string? name, JwtBearerOptions options)
        {
            // The identity service's scheme only: another bearer scheme (end users', the feed's) has its own issuer and
            // must never share this one's keys nor its cache of tokens found valid.
            if (name == JwtBearerDefaults.AuthenticationScheme)
            {
                Configure(options);
            }
        }

        public void Configure(JwtBearerOptions options)
        {
            options.MetadataAddress = new Uri(auth.Value.IdentityUrl, ".well-known/openid-configuration").ToString();
            // Reached through service discovery inside the deployment; TLS, where there is any, ends in front of the services.
            options.RequireHttpsMetadata = false;
            options.Backchannel = httpClients.CreateClient(IdentityClient.HttpClientName);
            // A token signed with a key not seen yet (after a rollover) makes the keys be read again, at most this often.
            options.RefreshInterval = TimeSpan.FromSeconds(10);
            options.MapInboundClaims = false;
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(validated);
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = Audiences.TaskApi,
                ValidTypes = ["at+jwt"],
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                NameClaimType = AccessClaims.Name,
                RoleClaimType = AccessClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (!revoked.Loaded)
                    {
                        context.HttpContext.Items[NotReadyItem] = true;
                        context.Fail("The identity service's revocations are not loaded yet.");
                    }
                    else if (context.SecurityToken is not JsonWebToken { Subject: { Length: > 0 } subject } token
                        || revoked.IsRevoked(subject, RequestedAt(token)))
                    {
                        context.Fail(new TokenRevokedException());
                    }
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    if (context.HttpContext.Items.ContainsKey(NotReadyItem))
                    {
                        context.Response.Headers.RetryAfter = "1";
                        await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                            detail: "TaskApi is starting: it has not read the identity service's revocations yet.").ExecuteAsync(context.HttpContext);
                        return;
                    }
                    await ChallengeAsync(context, "This needs a bearer token from the identity service (Authorization: Bearer <access token>).");
                },
            };
        }

        /// <summary>When the token was asked for, to the millisecond; <c>iat</c> (whole seconds) for a token without it.</summary>
        private static DateTimeOffset RequestedAt(JsonWebToken token) =>
            token.TryGetPayloadValue<long>(AccessClaims.RequestedAt, out var milliseconds)
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : new DateTimeOffset(token.IssuedAt, TimeSpan.Zero);
    }

    /// <summary>
    /// The answer to a request without a valid token, for every bearer scheme: RFC 6750's <c>WWW-Authenticate</c> (with
    /// <c>invalid_token</c> and why, when a token was given) and a 401 problem; <paramref name="missingTokenDetail"/>
    /// says what to send when none was.
    /// </summary>
    public static async Task ChallengeAsync(JwtBearerChallengeContext context, string missingTokenDetail)
    {
        context.HandleResponse();
        var reason = context.AuthenticateFailure is { } failure ? Describe(failure) : null;
        context.Response.Headers.WWWAuthenticate = reason is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: reason ?? missingTokenDetail)
            .ExecuteAsync(context.HttpContext);
    }

    private static string Describe(Exception failure) => failure switch
    {
        TokenRevokedException => "The token was revoked.",
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidIssuerException => "The token is from another issuer.",
        SecurityTokenInvalidAudienceException => "The token is for another audience.",
        SecurityTokenInvalidTypeException => "The token is not an access token (typ at+jwt).",
        SecurityTokenInvalidAlgorithmException or SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException
            => "The token's signature is not valid.",
        _ => "The token is not valid.",
    };

    /// <summary>Ready once the revocations were read; degraded while they cannot be read again.</summary>
    private sealed class RevocationsHealthCheck(RevokedTokens revoked, TimeProvider clock) : IHealthCheck
    {
        private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(revoked.LoadedAt switch
            {
                null => HealthCheckResult.Unhealthy("The identity service's revocations have not been read yet."),
                var at when clock.GetUtcNow() - at > Stale => HealthCheckResult.Degraded($"The revocations were last read at {at:O}."),
                _ => HealthCheckResult.Healthy(),
            });
    }
}

/// <summary>A token its identity service has since revoked (its app or operator disabled or deleted, or its secret rotated past the overlap).</summary>
public sealed class TokenRevokedException() : SecurityTokenValidationException("The token was revoked.");

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskApi.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Features.Feed;

/// <summary>
/// End users' tokens, a bearer scheme of their own beside the identity service's (<see cref="TokenValidation"/>): signed
/// by the issuer of <see cref="UserTokenOptions"/> (its keys read from its discovery document, kept, and read again on an
/// unknown key id), for its audience, in their lifetime, RS256. They open the <c>/me</c> routes only, and only they do:
/// the default scheme hands requests under <c>/me</c> to this one, and the feed's policy names it alone.
/// </summary>
public static class UserTokens
{
    public const string Scheme = "users";

    /// <summary>The policy every <c>/me</c> endpoint declares: a valid user token with a subject (the user's id).</summary>
    public const string Policy = "feed:me";

    /// <summary>Where the feed's routes are; requests there are authenticated by this scheme only.</summary>
    public static readonly PathString Routes = new("/me");

    private const string HttpClientName = "user-token-issuer";

    public static IHostApplicationBuilder AddUserTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UserTokenOptions>()
            .Bind(builder.Configuration.GetSection(UserTokenOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(HttpClientName);
        builder.Services.AddAuthentication().AddJwtBearer(Scheme);
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, BearerSettings>();
        // The identity service's scheme (the default) passes the feed's routes to this one, so an operator's or an app's
        // token is never accepted there and a user's token is never checked against the identity service's keys.
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            options.ForwardDefaultSelector = context => context.Request.Path.StartsWithSegments(Routes) ? Scheme : null);
        builder.Services.AddAuthorization(authorization => authorization.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(AccessClaims.Subject)));
        return builder;
    }

    private sealed class BearerSettings(IOptions<UserTokenOptions> users, IHttpClientFactory httpClients) : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name == Scheme)
            {
                Configure(options);
            }
        }

        public void Configure(JwtBearerOptions options)
        {
            var settings = users.Value;
            options.MetadataAddress = new Uri(WithTrailingSlash(settings.Authority!), ".well-known/openid-configuration").ToString();
            // The deployment names the issuer; in the default run it is the identity service over plain HTTP inside it.
            options.RequireHttpsMetadata = false;
            options.Backchannel = httpClients.CreateClient(HttpClientName);
            // JwtBearer's ConfigurationManager keeps the document and keys, reads them again when a token names an unknown
            // key id (RefreshOnIssuerKeyNotFound) at most this often, and anyway every hour, so a key the issuer dropped
            // stops being trusted within the hour.
            options.RefreshOnIssuerKeyNotFound = true;
            options.RefreshInterval = settings.KeyRefreshInterval;
            options.AutomaticRefreshInterval = TimeSpan.FromHours(1);
            options.MapInboundClaims = false;
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new JsonWebTokenHandler { MapInboundClaims = false });
            options.TokenValidationParameters = new TokenValidationParameters
            {
                // The issuer is the discovery document's.
                ValidAudience = settings.Audience,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                NameClaimType = AccessClaims.Subject,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents
            {
                OnChallenge = context => TokenValidation.ChallengeAsync(context,
                    "This needs a bearer token of the product's user, from its sign-in (Authorization: Bearer <access token>)."),
            };
        }

        /// <summary>An authority given as <c>https://issuer/tenant</c> keeps its last segment when the document's path is added.</summary>
        private static Uri WithTrailingSlash(Uri authority) =>
            authority.AbsoluteUri.EndsWith('/') ? authority : new Uri(authority.AbsoluteUri + "/");
    }
}

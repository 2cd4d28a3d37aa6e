using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tasks.Shared;

namespace Identity.Features.UserTokens.MintUserToken;

/// <summary>Whose token to mint.</summary>
public sealed class MintUserTokenRequest
{
    /// <summary>The product's id of the user (1 to 128 characters), as in TaskApi's <c>PUT /users/{userId}</c>: the token's subject.</summary>
    public string UserId { get; set; } = "";

    /// <summary>How long the token is valid, in minutes: 1 to 60, 15 when not given.</summary>
    public int? LifetimeMinutes { get; set; }
}

public sealed class MintUserTokenValidator : Validator<MintUserTokenRequest>
{
    public MintUserTokenValidator()
    {
        RuleFor(r => r.UserId).NotEmpty().MaximumLength(128);
        RuleFor(r => r.LifetimeMinutes).InclusiveBetween(1, MintUserTokenEndpoint.LongestLifetimeMinutes);
    }
}

/// <summary>A user's access token, as the product's own sign-in would hand its user.</summary>
public sealed record MintUserTokenResponse(string AccessToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>POST /user-tokens</c>: an admin mints a short-lived token of an end user (<c>sub</c> = the user's id, audience
/// <c>feed</c>), signed with the key that signs every token here, so TaskApi's <c>/me/notifications</c> routes accept it
/// when this service is their issuer (<c>Auth:Users</c>, as in the default run). In a deployment the product's own sign-in
/// issues these tokens; this route lets an operator try the feed without one. Each mint is audited.
/// </summary>
public sealed class MintUserTokenEndpoint(IOptions<IdentityServiceOptions> options, KeyRing keys, IdentityDb db, AuditTrail audit, TimeProvider clock)
    : Endpoint<MintUserTokenRequest, MintUserTokenResponse>
{
    public const int LongestLifetimeMinutes = 60;
    private const int DefaultLifetimeMinutes = 15;

    private static readonly JsonWebTokenHandler Tokens = new();

    public override void Configure()
    {
        Post("/");
        Group<UserTokensGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Mint a short-lived token of an end user, to try the in-app feed";
            summary.Description = "A signed JWT with sub = userId and audience 'feed' that TaskApi's /me/notifications routes accept " +
                "when this service is their user token issuer (the default run). Not an OAuth grant: the product's sign-in issues these in a deployment.";
        });
    }

    public override async Task<MintUserTokenResponse> ExecuteAsync(MintUserTokenRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(request.LifetimeMinutes ?? DefaultLifetimeMinutes);
        var token = Tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Url.AbsoluteUri,
            Audience = Audiences.Feed,
            Claims = new Dictionary<string, object> { [AccessClaims.Subject] = request.UserId },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            // The first key signs, as for every token of this service; TaskApi finds it by its id in the JWKS.
            SigningCredentials = new SigningCredentials(keys.SigningKeys[0], SecurityAlgorithms.RsaSha256),
        });
        await using var transaction = await audit.BeginAsync(ct);
        audit.Record(AuditActions.UserTokenMinted, $"/user-tokens/{request.UserId}", $"valid {lifetime.TotalMinutes} min");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new MintUserTokenResponse(token, "Bearer", (int)lifetime.TotalSeconds, now + lifetime);
    }
}

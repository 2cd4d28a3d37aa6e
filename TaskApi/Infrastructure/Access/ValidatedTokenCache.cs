using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// JWT validation that remembers the tokens it found valid. A client sends the same token with every request of its
/// hour; checking its RS256 signature and reading its claims again each time was most of what authentication cost a
/// request (measured: a fifth of TaskApi's CPU per created task). A remembered token is trusted until its expiry, at
/// most <see cref="MaxTrust"/>, so a key dropped from the JWKS stops the tokens it signed within minutes; revocation is
/// checked on every request all the same (JwtBearer's OnTokenValidated runs for remembered tokens too).
/// </summary>
public sealed class ValidatedTokenCache : TokenHandler
{
    private static readonly TimeSpan MaxTrust = TimeSpan.FromMinutes(5);

    // Tokens are a kilobyte or so: 10,000 callers' tokens stay well under 20 MB.
    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TimeProvider _clock;

    public ValidatedTokenCache(TimeProvider clock) => _clock = clock;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out TokenValidationResult? known) && known is not null)
        {
            // Each request its own identity: code down the line may add claims to it.
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = known.SecurityToken,
                ClaimsIdentity = known.ClaimsIdentity.Clone(),
                Issuer = known.Issuer,
                TokenType = known.TokenType,
            };
        }
        var result = await _handler.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken.ValidTo > _clock.GetUtcNow().UtcDateTime)
        {
            var expiry = new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero);
            var trustUntil = expiry < _clock.GetUtcNow() + MaxTrust ? expiry : _clock.GetUtcNow() + MaxTrust;
            _valid.Set(token, result, new MemoryCacheEntryOptions { AbsoluteExpiration = trustUntil, Size = 1 });
        }
        return result;
    }

    public override SecurityToken ReadToken(string token) => _handler.ReadToken(token);
}

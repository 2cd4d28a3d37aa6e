using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Feed;

/// <summary>
/// A stand-in for the integrating product's OpenID Connect issuer: a real Kestrel server on a loopback port serving its
/// discovery document and JWKS, and minting RS256 access tokens for its users. Its key can be rotated, and it counts
/// how often its keys were read. (Kept beside the feed's tests: only TaskApi's tests need it, and Tasks.Testing does not
/// reference IdentityModel.)
/// </summary>
public sealed class StandInIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile SigningKey _key = SigningKey.New();
    private int _keyReads;

    private StandInIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer's address: what <c>Auth:Users:Authority</c> names and its tokens' <c>iss</c>.</summary>
    public string Url { get; private set; } = null!;

    /// <summary>How often the JWKS was read.</summary>
    public int KeyReads => Volatile.Read(ref _keyReads);

    /// <summary>Started synchronously, so a factory can name it in its constructor.</summary>
    public static StandInIssuer Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var issuer = new StandInIssuer(builder.Build());
        issuer._app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Url,
            ["jwks_uri"] = issuer.Url + "jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        issuer._app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref issuer._keyReads);
            return Results.Json(new { keys = new[] { issuer._key.Jwk() } });
        });
        issuer._app.Start();
        var address = issuer._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        issuer.Url = address.TrimEnd('/') + "/";
        return issuer;
    }

    /// <summary>An access token of <paramref name="userId"/> for <paramref name="audience"/>, valid for an hour unless <paramref name="expires"/> says otherwise.</summary>
    public string Mint(string userId, string audience = Audiences.Feed, DateTime? expires = null)
    {
        var until = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", userId)]),
            IssuedAt = until.AddHours(-1),
            NotBefore = until.AddHours(-1),
            Expires = until,
            TokenType = "at+jwt",
            SigningCredentials = _key.Credentials,
        });
    }

    /// <summary>A new signing key replaces the old one, in the tokens minted from now on and in the JWKS.</summary>
    public void RotateKey() => _key = SigningKey.New();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record SigningKey(RSA Rsa, string Id)
    {
        public static SigningKey New() => new(RSA.Create(2048), Guid.NewGuid().ToString("N"));

        public SigningCredentials Credentials => new(new RsaSecurityKey(Rsa) { KeyId = Id }, SecurityAlgorithms.RsaSha256);

        public object Jwk()
        {
            var parameters = Rsa.ExportParameters(includePrivateParameters: false);
            return new
            {
                kty = "RSA",
                use = "sig",
                alg = SecurityAlgorithms.RsaSha256,
                kid = Id,
                n = Base64UrlEncoder.Encode(parameters.Modulus),
                e = Base64UrlEncoder.Encode(parameters.Exponent),
            };
        }
    }
}

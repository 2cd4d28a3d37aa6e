using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.UserTokens;

public sealed class MintUserTokenTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_Admin_Returns200WithTheUsersTokenSignedByAPublishedKey()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var answer = await (await Identity.SendAsAdminAsync(HttpMethod.Post, "/user-tokens", new { userId = "customer-42", lifetimeMinutes = 5 }))
            .JsonAsync(HttpStatusCode.OK);

        var token = answer.GetProperty("accessToken").GetString()!;
        Assert.Equal("Bearer", answer.GetProperty("tokenType").GetString());
        Assert.Equal(300, answer.GetProperty("expiresIn").GetInt32());
        var jwks = new JsonWebKeySet(await (await Identity.SendAsync(HttpMethod.Get, "/.well-known/jwks", token: null)).Content.ReadAsStringAsync());
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Identity.Issuer,
            ValidAudience = Audiences.Feed,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal("customer-42", validated.Claims[AccessClaims.Subject]);
        var expires = ((JsonWebToken)validated.SecurityToken).ValidTo;
        Assert.InRange(expires, before.AddMinutes(5).UtcDateTime, DateTimeOffset.UtcNow.AddMinutes(5).UtcDateTime);
    }

    [Theory]
    [InlineData("", null, "userId")]
    [InlineData(null, null, "userId")]
    [InlineData("129", null, "userId")]
    [InlineData("customer-42", 0, "lifetimeMinutes")]
    [InlineData("customer-42", 61, "lifetimeMinutes")]
    public async Task Post_OutOfRange_Returns400NamingTheField(string? userId, int? lifetimeMinutes, string field)
    {
        var body = new { userId = userId == "129" ? new string('u', 129) : userId, lifetimeMinutes };

        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/user-tokens", body);

        Assert.Equal([field], await response.InvalidFieldsAsync());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Infrastructure.Access;

/// <summary>
/// Tokens with exactly one defect each, signed with the identity service's own key where the defect is not the
/// signature, so that each check is the one that refuses them: 401 with RFC 6750's invalid_token and a problem.
/// </summary>
public sealed class TokenValidationTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    [Fact]
    public async Task Request_MintedTokenWithoutDefect_IsAccepted()
    {
        // The baseline of the tests below: the way they sign tokens makes valid ones, so each defect alone is refused.
        using var response = await GetTasksAsync(Mint());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_ExpiredToken_Answers401InvalidToken() =>
        await AssertRefusedAsync(Mint(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-65)), "expired");

    [Fact]
    public async Task Request_TokenNotValidYet_Answers401InvalidToken() =>
        await AssertRefusedAsync(Mint(notBefore: DateTime.UtcNow.AddMinutes(5), expires: DateTime.UtcNow.AddMinutes(65)), "not valid yet");

    [Fact]
    public async Task Request_TokenFromAnotherIssuer_Answers401InvalidToken() =>
        await AssertRefusedAsync(Mint(issuer: "https://identity.elsewhere.example/"), "another issuer");

    [Fact]
    public async Task Request_TokenForAnotherAudience_Answers401InvalidToken() =>
        await AssertRefusedAsync(Mint(audience: Audiences.Identity), "another audience");

    [Fact]
    public async Task Request_IdentityTokenInsteadOfAccessToken_Answers401InvalidToken() =>
        await AssertRefusedAsync(Mint(type: "JWT"), "not an access token");

    [Fact]
    public async Task Request_TokenSignedByAnotherKey_Answers401InvalidToken()
    {
        using var stranger = RSA.Create(2048);
        await AssertRefusedAsync(Mint(signingKey: stranger), "signature");
    }

    [Fact]
    public async Task Request_UnsignedTokenWithAlgNone_Answers401InvalidToken()
    {
        var payload = Mint().Split('.')[1];
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");

        await AssertRefusedAsync($"{header}.{payload}.");
    }

    [Fact]
    public async Task Request_TokenSignedHs256WithThePublicKey_Answers401InvalidToken()
    {
        // The classic confusion: the public key, which anyone can read from the JWKS, used as an HMAC secret.
        var publicKey = Encoding.UTF8.GetBytes(api.Identity.SigningKey.ExportSubjectPublicKeyInfoPem());
        var handler = new JsonWebTokenHandler();
        var token = handler.CreateToken(Descriptor(new SigningCredentials(new SymmetricSecurityKey(publicKey) { KeyId = KeyId() }, SecurityAlgorithms.HmacSha256)));

        await AssertRefusedAsync(token, "signature");
    }

    [Fact]
    public async Task Request_RealTokenWithChangedPayload_Answers401InvalidToken()
    {
        var real = await api.Identity.OperatorTokenAsync(Roles.Viewer);
        var parts = real.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload[AccessClaims.Role] = JsonSerializer.SerializeToElement(Roles.Admin);

        await AssertRefusedAsync($"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}", "signature");
    }

    [Fact]
    public async Task Request_TokenOfADisabledApp_Answers401InvalidToken()
    {
        var app = await api.Identity.RegisterAppAsync(Scopes.Tasks);
        var token = await api.Identity.AppTokenAsync(app);
        (await api.Identity.SendAsAdminAsync(HttpMethod.Patch, $"/apps/{app.Id}", new { disabled = true })).EnsureSuccessStatusCode();

        await Eventually.UntilAsync(async () =>
        {
            using var response = await GetTasksAsync(token);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(5), "the disabled app's token to be refused");
        await AssertRefusedAsync(token, "revoked");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer ....")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.%%%")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("bearer not-a-jwt")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0")]
    public async Task Request_HostileAuthorizationHeader_Answers401NeverA500(string header)
    {
        using var client = api.CreateClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await client.SendAsync(request);

        await response.ReadProblemAsync(401);
    }

    [Fact]
    public async Task Request_OversizedToken_Answers4xxNeverA500()
    {
        using var response = await GetTasksAsync("eyJ" + new string('A', 40_000));

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    private async Task AssertRefusedAsync(string token, string? because = null)
    {
        using var response = await GetTasksAsync(token);

        var problem = await response.ReadProblemAsync(401);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        if (because is not null)
        {
            Assert.Contains(because, problem.GetProperty("detail").GetString());
        }
    }

    private async Task<HttpResponseMessage> GetTasksAsync(string token)
    {
        using var client = api.CreateClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>An operator's access token as the identity service would issue it, but for the one thing a test changes.</summary>
    private string Mint(DateTime? notBefore = null, DateTime? expires = null, string? issuer = null, string audience = Audiences.TaskApi,
        string type = "at+jwt", RSA? signingKey = null)
    {
        var key = new RsaSecurityKey(signingKey ?? api.Identity.SigningKey) { KeyId = KeyId() };
        var descriptor = Descriptor(new SigningCredentials(key, SecurityAlgorithms.RsaSha256), notBefore, expires, issuer, audience);
        descriptor.TokenType = type;
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private SecurityTokenDescriptor Descriptor(SigningCredentials credentials, DateTime? notBefore = null, DateTime? expires = null,
        string? issuer = null, string audience = Audiences.TaskApi)
    {
        var issuedAt = notBefore ?? DateTime.UtcNow.AddSeconds(-1);
        return new SecurityTokenDescriptor
        {
            Issuer = issuer ?? api.Identity.Issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            TokenType = "at+jwt",
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                [AccessClaims.Subject] = "minted-operator",
                [AccessClaims.Name] = "minted",
                [AccessClaims.Role] = Roles.Viewer,
                [AccessClaims.Actor] = ActorKinds.Operator,
            },
        };
    }

    /// <summary>The identity service names its key by its RFC 7638 thumbprint; a token must carry that kid to be checked with it.</summary>
    private string KeyId() =>
        Base64UrlEncoder.Encode(new RsaSecurityKey(api.Identity.SigningKey.ExportParameters(includePrivateParameters: false)).ComputeJwkThumbprint());
}

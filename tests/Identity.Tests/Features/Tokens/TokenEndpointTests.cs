using System.Net;
using Identity.Features.Tokens;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Tokens;

/// <summary><c>POST /connect/token</c>: its grants, and its refusals as RFC 6749 §5.2 words them.</summary>
public sealed class TokenEndpointTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_WrongSecretInBasicHeader_Returns401InvalidClientWithBasicChallenge()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var response = await Identity.ClientCredentialsGrantAsync(app with { Secret = "not the secret" });

        // RFC 6749 §5.2: a client that authenticated with the Authorization header gets 401 and a challenge of its scheme.
        Assert.Equal("invalid_client", (await response.TokenErrorAsync(HttpStatusCode.Unauthorized)).Error);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Post_WrongSecretInForm_ReturnsInvalidClient()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var response = await Identity.RequestTokenAsync(ClientCredentialsForm(app with { Secret = "not the secret" }));

        // RFC 6749 §5.2: 400, or 401 with a challenge (which OpenIddict chooses).
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal("invalid_client", (await response.TokenErrorAsync(response.StatusCode)).Error);
    }

    [Fact]
    public async Task Post_ClientCredentialsInForm_IssuesTokenForTheApp()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var token = await (await Identity.RequestTokenAsync(ClientCredentialsForm(app))).TokenAsync();

        Assert.Equal(app.Id, Jwt.Payload(token.AccessToken).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Post_ClientCredentials_TokenCarriesTheAppsScopesItsIdAndAudienceTaskApi()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks, Scopes.Mailings);

        var token = await (await Identity.ClientCredentialsGrantAsync(app)).TokenAsync();

        var payload = Jwt.Payload(token.AccessToken);
        Assert.Equal([Scopes.Mailings, Scopes.Tasks], payload.GetProperty("scope").GetString()!.Split(' ').Order());
        Assert.Equal(app.Id, payload.GetProperty("sub").GetString());
        Assert.Equal(Audiences.TaskApi, payload.GetProperty("aud").GetString());
        Assert.Equal(Identity.Issuer, payload.GetProperty("iss").GetString());
        var header = Jwt.Header(token.AccessToken);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
    }

    [Fact]
    public async Task Post_ClientCredentialsWithOneOfTheAppsScopes_TokenCarriesThatScopeOnly()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks, Scopes.Mailings);

        var token = await (await Identity.ClientCredentialsGrantAsync(app, Scopes.Mailings)).TokenAsync();

        Assert.Equal(Scopes.Mailings, Jwt.Payload(token.AccessToken).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Post_ScopeTheAppLacks_ReturnsInvalidScope()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var response = await Identity.ClientCredentialsGrantAsync(app, Scopes.Mailings);

        // RFC 6749 §5.2: invalid_scope is "the requested scope ... exceeds the scope granted by the resource owner".
        Assert.Equal("invalid_scope", (await response.TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Theory]
    [InlineData("openid")]
    [InlineData("offline_access")]
    public async Task Post_ClientCredentialsWithAProtocolScope_ReturnsInvalidScope(string scope)
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var response = await Identity.ClientCredentialsGrantAsync(app, scope);

        // An app is no person (no ID token) and asks again rather than refreshing (no refresh token).
        Assert.Equal("invalid_scope", (await response.TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Fact]
    public async Task Post_ScopeTheAppLacksWithWrongSecret_ReturnsInvalidClient()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var response = await Identity.ClientCredentialsGrantAsync(app with { Secret = "not the secret" }, Scopes.Mailings);

        // Who may ask is settled before what they ask for: a stranger learns nothing about the app's scopes.
        Assert.Equal("invalid_client", (await response.TokenErrorAsync(HttpStatusCode.Unauthorized)).Error);
    }

    [Fact]
    public async Task Post_WrongPasswordOrUnknownLogin_ReturnsTheSameInvalidGrant()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "wrong-password");

        var wrongPassword = await (await Identity.PasswordGrantAsync(account.Login, "not the password")).TokenErrorAsync(HttpStatusCode.BadRequest);
        var unknownLogin = await (await Identity.PasswordGrantAsync(OperatorAccounts.UniqueLogin("nobody"), account.Password)).TokenErrorAsync(HttpStatusCode.BadRequest);

        Assert.Equal("invalid_grant", wrongPassword.Error);
        Assert.Equal(wrongPassword, unknownLogin);
        Assert.Equal(TokenEndpoint.SignInRefused, wrongPassword.Description);
    }

    [Theory]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    [InlineData("urn:example:no-such-grant")]
    public async Task Post_GrantTheServerDoesNotOffer_ReturnsUnsupportedGrantType(string grantType)
    {
        var response = await Identity.RequestTokenAsync(new Dictionary<string, string> { ["grant_type"] = grantType, ["code"] = "a code", ["device_code"] = "a code" });

        Assert.Equal("unsupported_grant_type", (await response.TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Fact]
    public async Task Post_PasswordGrant_IssuesAnAccessTokenWithTheOperatorsRoleAndARefreshToken()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "sign-in");

        var token = await Identity.SignInAsync(account);

        var payload = Jwt.Payload(token.AccessToken);
        Assert.Equal(account.Id, payload.GetProperty("sub").GetString());
        Assert.Equal(Roles.Viewer, payload.GetProperty("role").GetString());
        Assert.NotNull(token.RefreshToken);
    }

    [Fact]
    public async Task Post_RefreshToken_IssuesANewAccessTokenForTheSameOperator()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "refresh");
        var signedIn = await Identity.SignInAsync(account);

        var refreshed = await (await Identity.RefreshGrantAsync(signedIn.RefreshToken!)).TokenAsync();

        Assert.NotEqual(signedIn.AccessToken, refreshed.AccessToken);
        var payload = Jwt.Payload(refreshed.AccessToken);
        Assert.Equal(account.Id, payload.GetProperty("sub").GetString());
        Assert.Equal(Roles.Operator, payload.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Post_RefreshTokenThatIsNotOne_ReturnsInvalidGrant()
    {
        var response = await Identity.RefreshGrantAsync("not a refresh token");

        Assert.Equal("invalid_grant", (await response.TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    private static Dictionary<string, string> ClientCredentialsForm(AppCredentials app) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = app.Id,
        ["client_secret"] = app.Secret,
    };
}

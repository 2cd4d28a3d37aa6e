using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Authorization;

/// <summary>
/// The console's sign-in, the authorization code flow with PKCE: authorize, the login page, back, a code for the
/// console's redirect URI, and tokens for the operator who signed in.
/// </summary>
public sealed class AuthorizationEndpointTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_WithoutSession_ChallengesToTheLoginPageReturningHere()
    {
        using var browser = new ConsoleBrowser(Identity);
        var authorize = browser.AuthorizePath();

        using var response = await browser.GetAsync(authorize);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(authorize, ConsoleBrowser.ReturnUrlOf(response.Headers.Location!));
    }

    [Fact]
    public async Task Get_PromptNoneWithoutSession_RedirectsWithLoginRequired()
    {
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.GetAsync(browser.AuthorizePath(prompt: "none"));

        var parameters = ConsoleBrowser.RedirectParameters(response, TestIdentity.ConsoleRedirectUri);
        Assert.Equal(("login_required", browser.State), (parameters["error"], parameters["state"]));
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task Get_SignedInOperator_RedirectsWithCodeThatRedeemsForTheOperatorsTokens()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "console");
        using var browser = new ConsoleBrowser(Identity);

        var code = await browser.SignInForCodeAsync(account);
        var tokens = await (await browser.RedeemAsync(code)).JsonAsync(HttpStatusCode.OK);

        var access = Jwt.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(account.Id, access.GetProperty("sub").GetString());
        Assert.Equal(Roles.Operator, access.GetProperty("role").GetString());
        Assert.Equal(ActorKinds.Operator, access.GetProperty(AccessClaims.Actor).GetString());
        // The console shows who signed in from the ID token (scope profile).
        var id = Jwt.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal((account.Id, account.Login, Roles.Operator),
            (id.GetProperty("sub").GetString(), id.GetProperty("name").GetString(), id.GetProperty("role").GetString()));
        var refreshed = await (await Identity.RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ServiceClients.Console,
            ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        })).TokenAsync();
        Assert.Equal(account.Id, Jwt.Payload(refreshed.AccessToken).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Get_SignedInViewer_GetsTheViewerRole()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "console-viewer");
        using var browser = new ConsoleBrowser(Identity);

        var tokens = await (await browser.RedeemAsync(await browser.SignInForCodeAsync(account))).TokenAsync();

        Assert.Equal(Roles.Viewer, Jwt.Payload(tokens.AccessToken).GetProperty("role").GetString());
    }

    [Fact]
    public async Task PostToken_CodeWithAnotherVerifier_IsInvalidGrant()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "console-verifier");
        using var browser = new ConsoleBrowser(Identity);
        var code = await browser.SignInForCodeAsync(account);
        using var another = new ConsoleBrowser(Identity);

        var refusal = await (await browser.RedeemAsync(code, verifier: another.Verifier)).TokenErrorAsync(HttpStatusCode.BadRequest);

        Assert.Equal("invalid_grant", refusal.Error);
    }

    [Fact]
    public async Task Get_WithoutCodeChallenge_IsInvalidRequestWithoutRedirect()
    {
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.GetAsync(browser.AuthorizePath(pkce: false));

        // OpenIddict checks PKCE before it trusts the redirect URI, so the error is its own page, not a redirect.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("error:invalid_request", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_UnregisteredRedirectUri_IsRefusedWithoutRedirect()
    {
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.GetAsync(browser.AuthorizePath(redirectUri: "http://127.0.0.1:5091/signin-oidc"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("error:invalid_request", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PromptLoginWithSession_ChallengesToTheLoginPageReturningWithoutThePrompt()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "console-prompt-login");
        using var browser = new ConsoleBrowser(Identity);
        await browser.SignInForCodeAsync(account);

        using var response = await browser.GetAsync(browser.AuthorizePath(prompt: "login"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(browser.AuthorizePath(), ConsoleBrowser.ReturnUrlOf(response.Headers.Location!));
    }

    [Fact]
    public async Task Get_SessionOfOperatorDisabledSinceSignIn_ChallengesAgain()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "console-disabled");
        using var browser = new ConsoleBrowser(Identity);
        await browser.SignInForCodeAsync(account);
        await (await Identity.PatchOperatorAsync(account.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        using var response = await browser.GetAsync(browser.AuthorizePath());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        ConsoleBrowser.ReturnUrlOf(response.Headers.Location!);
    }
}

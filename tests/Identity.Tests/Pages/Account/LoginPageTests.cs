using System.Net;
using Identity.Infrastructure;
using Identity.Pages.Account;
using Identity.Tests.Features.Authorization;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Pages.Account;

/// <summary>The login page of the console's sign-in: antiforgery, one message for every refusal, audited, local return addresses only.</summary>
public sealed class LoginPageTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_AuthorizationRequest_ServesAFormWithLabelsAndAntiforgery()
    {
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.GetAsync(ConsoleBrowser.LoginPathReturningTo(browser.AuthorizePath()));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("""<label for="Login">""", page);
        Assert.Contains("""<label for="Password">""", page);
        Assert.Contains("__RequestVerificationToken", page);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Post_WrongPassword_ShowsTheFormAgainWithOneMessageAndAuditsIt()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "login-wrong");
        using var browser = new ConsoleBrowser(Identity);
        var authorize = browser.AuthorizePath();

        using var response = await browser.PostLoginAsync(authorize, account.Login, "not the password at all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LoginModel.Refusal, await response.Content.ReadAsStringAsync());
        Assert.Equal("login page: wrong password", await RefusalDetailAsync(account.Login));
        // No session: the authorization request goes to the login page again, not to the console with a code.
        using var again = await browser.GetAsync(authorize);
        ConsoleBrowser.ReturnUrlOf(again.Headers.Location!);
    }

    [Fact]
    public async Task Post_DisabledOperator_IsRefusedWithTheSameMessage()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "login-disabled");
        await (await Identity.PatchOperatorAsync(account.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.PostLoginAsync(browser.AuthorizePath(), account.Login, account.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LoginModel.Refusal, await response.Content.ReadAsStringAsync());
        Assert.Equal("login page: disabled", await RefusalDetailAsync(account.Login));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefused()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "login-forged");
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.PostLoginAsync(browser.AuthorizePath(), account.Login, account.Password, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("http://elsewhere.example/")]
    [InlineData("//elsewhere.example/")]
    [InlineData("/\\elsewhere.example/")]
    public async Task Post_NonLocalReturnUrl_IsRefusedWithoutSignIn(string returnUrl)
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "login-open-redirect");
        using var browser = new ConsoleBrowser(Identity);
        using var form = await browser.GetAsync(ConsoleBrowser.LoginPathReturningTo(returnUrl));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);

        using var response = await browser.PostLoginAsync(returnUrl, account.Login, account.Password);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(LoginModel.ReturnUrlParameter, out _));
        Assert.Null(response.Headers.Location);
    }

    private Task<string> RefusalDetailAsync(string login) =>
        Identity.Database.ScalarAsync<string>("SELECT detail FROM audit_events WHERE action = @action AND actor_id = @login",
            ("action", AuditActions.SignInRefused), ("login", login));
}

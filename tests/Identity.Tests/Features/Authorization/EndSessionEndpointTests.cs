using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Authorization;

/// <summary>The console's sign-out: the operator's session at the identity service ends, and the browser goes back to the console.</summary>
public sealed class EndSessionEndpointTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_RegisteredPostLogoutUri_EndsTheSessionAndRedirectsThere()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "console-sign-out");
        using var browser = new ConsoleBrowser(Identity);
        await browser.SignInForCodeAsync(account);

        using var response = await browser.GetAsync(EndSessionPath(browser, TestIdentity.ConsolePostLogoutRedirectUri));

        Assert.Equal(browser.State, ConsoleBrowser.RedirectParameters(response, TestIdentity.ConsolePostLogoutRedirectUri)["state"]);
        using var again = await browser.GetAsync(browser.AuthorizePath());
        ConsoleBrowser.ReturnUrlOf(again.Headers.Location!);
    }

    [Fact]
    public async Task Get_UnregisteredPostLogoutUri_IsRefusedWithoutRedirect()
    {
        using var browser = new ConsoleBrowser(Identity);

        using var response = await browser.GetAsync(EndSessionPath(browser, "http://elsewhere.example/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private static string EndSessionPath(ConsoleBrowser browser, string postLogoutUri) =>
        $"/connect/endsession?client_id={ServiceClients.Console}&post_logout_redirect_uri={Uri.EscapeDataString(postLogoutUri)}&state={browser.State}";
}

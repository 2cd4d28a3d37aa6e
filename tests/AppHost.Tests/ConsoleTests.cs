using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The operators' console in the running system: as a browser without JavaScript sees it (the sign-in through the identity
/// service's login page, the prerendered pages with data from TaskApi, the sign-out), and as Debian's Chromium drives it
/// through Playwright (the interactive grid, a cancel confirmed in a dialog, the layout on a phone).
/// </summary>
[Collection(RunningSystemCollection.Name)]
public sealed class ConsoleTests(RunningSystemFixture fixture)
{
    [Fact]
    public async Task SignIn_AdminThroughTheLoginPage_ConsoleAnswersWithTheOperatorsNameAndRole()
    {
        using var browser = new ConsoleBrowser(fixture.ConsoleAddress);

        var (address, page) = await browser.SignInAsync(FirstAdmin.Login, await fixture.AdminPasswordAsync());

        Assert.Equal(fixture.ConsoleAddress.GetLeftPart(UriPartial.Authority) + "/", address.ToString());
        Assert.Contains($"{FirstAdmin.Login} <span class=\"mud-typography-caption\">({Roles.Admin})</span>", page);
        // Through the identity service's authorization endpoint and back to the console's callback with a code.
        Assert.Contains(browser.Visited, visited => visited.AbsolutePath == "/connect/authorize" && visited.Port == fixture.App.GetEndpoint(ResourceNames.Identity, "http").Port);
        Assert.Contains(browser.Visited, visited => visited.AbsolutePath == "/signin-oidc" && visited.Query.Contains("code=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TaskPage_TaskCreatedThroughTheApi_ShowsItsNameAndFormattedPayload()
    {
        using var api = fixture.CreateApiClient();
        var name = $"console task {Guid.NewGuid():N}";
        var id = (await api.PostCreatedAsync("/tasks", new { name, payload = new { size = 3 } })).GetGuid();
        using var browser = new ConsoleBrowser(fixture.ConsoleAddress);
        await browser.SignInAsync(FirstAdmin.Login, await fixture.AdminPasswordAsync());

        var (_, response) = await browser.GetAsync($"/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches($"data-testid=\"task-name\"[^>]*>{name}<", page);
        Assert.Contains("{\n  \"size\": 3\n}", page);
    }

    [Fact]
    public async Task TaskPage_SignedInAsAViewer_OffersNoCancelWhereAnAdminIsOfferedIt()
    {
        var viewer = new { login = $"viewer-{Guid.NewGuid():N}"[..20], password = "a viewer's long password", role = Roles.Viewer };
        using (var identity = fixture.CreateIdentityClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await identity.PostAsJsonAsync("/operators", viewer)).StatusCode);
        }
        using var api = fixture.CreateApiClient();
        var id = (await api.PostCreatedAsync("/tasks", new { name = $"deferred {Guid.NewGuid():N}", delaySeconds = 3600 })).GetGuid();
        using var asViewer = new ConsoleBrowser(fixture.ConsoleAddress);
        using var asAdmin = new ConsoleBrowser(fixture.ConsoleAddress);
        await asViewer.SignInAsync(viewer.login, viewer.password);
        await asAdmin.SignInAsync(FirstAdmin.Login, await fixture.AdminPasswordAsync());

        var viewersPage = await (await asViewer.GetAsync($"/tasks/{id}")).Response.Content.ReadAsStringAsync();
        var adminsPage = await (await asAdmin.GetAsync($"/tasks/{id}")).Response.Content.ReadAsStringAsync();

        Assert.Contains($"({Roles.Viewer})", viewersPage);
        Assert.Contains("data-testid=\"task-name\"", viewersPage);
        Assert.DoesNotContain("data-testid=\"cancel-task\"", viewersPage);
        Assert.Contains("data-testid=\"cancel-task\"", adminsPage);
    }

    [Fact]
    public async Task SignOut_WithoutTheFormsAntiforgeryToken_IsRefusedAndTheSessionStays()
    {
        using var browser = new ConsoleBrowser(fixture.ConsoleAddress);
        await browser.SignInAsync(FirstAdmin.Login, await fixture.AdminPasswordAsync());

        var (_, refused) = await browser.PostAsync("/signout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var (address, _) = await browser.GetAsync("/");
        Assert.Equal("/", address.AbsolutePath);
    }

    [Fact]
    public async Task SignOut_FromAConsolePage_EndsBothSessionsSoTheNextVisitAsksForThePassword()
    {
        using var browser = new ConsoleBrowser(fixture.ConsoleAddress);
        var (start, page) = await browser.SignInAsync(FirstAdmin.Login, await fixture.AdminPasswordAsync());

        var (signedOut, _) = await browser.PostFormAsync(new Uri(start, "/signout"), page, []);

        // Through the identity service's end-session endpoint and back, to a console that asks for the sign-in again.
        Assert.Contains(browser.Visited, visited => visited.AbsolutePath == "/connect/endsession");
        Assert.Equal("/account/login", signedOut.AbsolutePath);
    }

    [Fact]
    public async Task TasksPage_InABrowser_SignsInListsATaskCreatedThroughTheApiAndOpensIt()
    {
        using var api = fixture.CreateApiClient();
        var name = $"browser task {Guid.NewGuid():N}";
        await api.PostCreatedAsync("/tasks", new { name });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = RecordErrorsAndFailedLoads(page);

        await fixture.SignInToConsoleAsync(page, "/tasks");

        // The grid asks TaskApi from the interactive circuit, with the session's token.
        var link = page.GetByRole(AriaRole.Link, new() { Name = name });
        await link.WaitForAsync();
        await link.ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 }).WaitForAsync();
        Assert.Matches("^/tasks/[0-9a-f-]{36}$", new Uri(page.Url).AbsolutePath);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Layout_OnAPhoneScreen_NavigationOpensFromTheMenuButtonWithTheKeyboard()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var errors = RecordErrorsAndFailedLoads(page);
        await fixture.SignInToConsoleAsync(page, "/");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        var tasksLink = page.GetByRole(AriaRole.Link, new() { Name = "Tasks", Exact = true });
        Assert.False(await tasksLink.IsVisibleAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await tasksLink.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await page.GetByRole(AriaRole.Heading, new() { Name = "Tasks", Level = 1 }).WaitForAsync();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task TaskPage_InABrowser_CancelsADeferredTaskOnlyOnceConfirmed()
    {
        using var api = fixture.CreateApiClient();
        var id = (await api.PostCreatedAsync("/tasks", new { name = $"deferred {Guid.NewGuid():N}", delaySeconds = 3600 })).GetGuid();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = RecordErrorsAndFailedLoads(page);
        await fixture.SignInToConsoleAsync(page, $"/tasks/{id}");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        var cancel = page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" });

        await cancel.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("new", await StatusAsync(api, id));

        await cancel.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();

        await page.GetByText("Task cancelled").WaitForAsync();
        Assert.Equal("cancelled", await StatusAsync(api, id));
        // Cancelled, the task offers the action no more.
        await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, await cancel.CountAsync());
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    private static async Task<string?> StatusAsync(HttpClient api, Guid id) =>
        (await api.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("status").GetString();


    /// <summary>The page's errors, and every answer of 400 or more it loads.</summary>
    private static List<string> RecordErrorsAndFailedLoads(IPage page)
    {
        var errors = page.RecordErrors();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };
        return errors;
    }
}

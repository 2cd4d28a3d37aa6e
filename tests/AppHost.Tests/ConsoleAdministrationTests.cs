using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The console's Administration page in the running system: an admin registers an app in the browser and the secret the
/// dialog shows works at the identity service's token endpoint; a viewer gets neither the page nor the admin API.
/// </summary>
[Collection(RunningSystemCollection.Name)]
public sealed class ConsoleAdministrationTests(RunningSystemFixture fixture)
{
    [Fact]
    public async Task AppsTab_AdminRegistersAnApp_TheSecretShownOnceGetsATokenThatCreatesATask()
    {
        var name = $"console app {Guid.NewGuid():N}";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = page.RecordErrors();
        await fixture.SignInToConsoleAsync(page, "/administration");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Apps" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New app" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Dialog);
        await form.Locator("input[data-testid=app-name]").FillAsync(name);
        await form.GetByLabel(Scopes.Tasks, new() { Exact = true }).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Register app" }).ClickAsync();
        var secretDialog = page.GetByRole(AriaRole.Dialog).Filter(new() { Has = page.Locator("[data-testid=app-secret]") });
        await secretDialog.WaitForAsync();
        var clientId = (await secretDialog.Locator("[data-testid=app-client-id]").InnerTextAsync()).Trim();
        var secret = (await secretDialog.Locator("[data-testid=app-secret]").InnerTextAsync()).Trim();
        Assert.NotNull(await secretDialog.GetByRole(AriaRole.Button, new() { Name = "Copy the secret" }).ElementHandleAsync());
        await secretDialog.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        // The list shows the new app, and never its secret.
        await page.GetByRole(AriaRole.Cell, new() { Name = name }).WaitForAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // The audit log tab shows the registration once TaskApi has copied the identity service's event.
        using var api = fixture.CreateApiClient();
        await AuditedAsync(api, $"/apps/{clientId}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Audit log" }).ClickAsync();
        await page.Locator("input[data-testid=audit-entity]").FillAsync($"/apps/{clientId}");
        await page.GetByRole(AriaRole.Cell, new() { Name = "app.registered" }).WaitForAsync();

        using var identity = new HttpClient { BaseAddress = fixture.App.GetEndpoint(ResourceNames.Identity, "http") };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        tokenRequest.Headers.Authorization = new AppCredentials(clientId, secret).BasicAuthorization();
        var tokenResponse = await identity.SendAsync(tokenRequest);
        var tokenBody = await tokenResponse.Content.ReadAsStringAsync();
        Assert.True(tokenResponse.IsSuccessStatusCode, $"The token endpoint answered {(int)tokenResponse.StatusCode}: {tokenBody}");
        using var asApp = fixture.CreateAnonymousApiClient().WithBearer(AccessTokens.AccessToken(tokenBody));
        var created = await asApp.PostAsJsonAsync("/tasks", new { name = $"from {name}" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>Waits until TaskApi's audit log has an entry about <paramref name="entity"/> (copied from the identity service within seconds).</summary>
    private static async Task AuditedAsync(HttpClient api, string entity)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await api.GetFromJsonAsync<JsonElement>($"/audit?entity={Uri.EscapeDataString(entity)}", timeout.Token)).GetProperty("items").GetArrayLength() == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    [Fact]
    public async Task Administration_SignedInAsAViewer_IsRefusedAndTheViewersTokenIsRefusedByTheAdminApi()
    {
        var viewer = new { login = $"viewer-{Guid.NewGuid():N}"[..20], password = "a viewer's long password", role = Roles.Viewer };
        using (var asAdmin = fixture.CreateIdentityClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await asAdmin.PostAsJsonAsync("/operators", viewer)).StatusCode);
        }
        using var browser = new ConsoleBrowser(fixture.ConsoleAddress);
        await browser.SignInAsync(viewer.login, viewer.password);

        var (address, response) = await browser.GetAsync("/administration");

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("/Account/AccessDenied", address.AbsolutePath);
        Assert.Contains($"({Roles.Viewer})", page);
        Assert.Contains("Your role does not allow this page.", page);
        Assert.DoesNotContain("New operator", page);
        var identityAddress = fixture.App.GetEndpoint(ResourceNames.Identity, "http");
        using var asViewer = new HttpClient { BaseAddress = identityAddress }
            .WithBearer(await AccessTokens.PasswordGrantAsync(identityAddress, viewer.login, viewer.password));
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.GetAsync("/operators")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.PostAsJsonAsync("/apps", new { name = "forged", scopes = new[] { Scopes.Tasks } })).StatusCode);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests;

/// <summary>
/// Swagger UI as a person opens it: Debian's Chromium, headless, driven by Playwright (never its own browser download),
/// against the API on its Kestrel port.
/// </summary>
public sealed class SwaggerUiTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    [Fact]
    public async Task SwaggerUi_OpenedInABrowser_ListsEveryOperationWithoutConsoleErrors()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = page.RecordErrors();

        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal).ToList();

        await page.GotoAsync(new Uri(api.CreateClient().BaseAddress!, "/swagger").ToString());
        var operations = page.Locator(".opblock-summary");
        await operations.Nth(documented.Count - 1).WaitForAsync();

        var listed = await operations.EvaluateAllAsync<string[]>(
            "blocks => blocks.map(b => b.querySelector('.opblock-summary-method').textContent + ' ' + b.querySelector('.opblock-summary-path').textContent.trim())");
        Assert.Contains("POST /tasks", documented);
        Assert.Equal(documented, listed.Select(o => o.Replace("\u200b", "")).Order(StringComparer.Ordinal));
        Assert.Contains("Tasks API", await page.Locator(".info .title").TextContentAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Authorize_OperatorsLoginAndPassword_TryItOutCreatesATask()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await OpenSwaggerUiAsync(browser);

        await AuthorizeAsync(page, "password", async flow =>
        {
            await flow.Locator("input#oauth_username").FillAsync(TestIdentity.AdminLogin);
            await flow.Locator("input#oauth_password").FillAsync(TestIdentity.AdminPassword);
        });

        Assert.Equal("201", await CreateTaskAsync(page, "created from Swagger UI by an operator"));
    }

    [Fact]
    public async Task Authorize_AppsClientCredentials_TryItOutCreatesATask()
    {
        var app = await api.Identity.RegisterAppAsync(Scopes.Tasks);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await OpenSwaggerUiAsync(browser);

        await AuthorizeAsync(page, "clientCredentials", async flow =>
        {
            await flow.Locator("input#client_id_clientCredentials").FillAsync(app.Id);
            await flow.Locator("input#client_secret_clientCredentials").FillAsync(app.Secret);
        });

        Assert.Equal("201", await CreateTaskAsync(page, "created from Swagger UI by an app"));
    }

    [Fact]
    public async Task TryItOut_WithoutAuthorizing_Answers401()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await OpenSwaggerUiAsync(browser);

        Assert.Equal("401", await CreateTaskAsync(page, "no token"));
    }

    private async Task<IPage> OpenSwaggerUiAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(api.CreateClient().BaseAddress!, "/swagger").ToString());
        await page.Locator(".btn.authorize").WaitForAsync();
        return page;
    }

    /// <summary>Authorize → the flow's section filled in → its Authorize button → the dialog closed.</summary>
    private static async Task AuthorizeAsync(IPage page, string flowName, Func<ILocator, Task> fill)
    {
        await page.Locator(".btn.authorize").First.ClickAsync();
        var flow = page.Locator(".auth-container").Filter(new() { HasText = $"Flow: {flowName}" });
        await fill(flow);
        await flow.Locator("button.authorize").ClickAsync();
        // Once the identity service has answered with a token the section says so, and its button logs out instead.
        await flow.Locator("button[aria-label='Remove authorization']").WaitForAsync();
        Assert.Equal("Authorized", await flow.Locator("h6").TextContentAsync());
        await page.Locator("button.close-modal").ClickAsync();
    }

    /// <summary>POST /tasks → Try it out → the body → Execute; the status Swagger UI shows.</summary>
    private static async Task<string> CreateTaskAsync(IPage page, string name)
    {
        var operation = page.Locator("#operations-Tasks-CreateTask");
        await operation.Locator(".opblock-summary").ClickAsync();
        // Swagger UI opens operations ready to try out (NSwag's default); older versions need the button.
        var tryItOut = operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" });
        if (await tryItOut.CountAsync() > 0)
        {
            await tryItOut.ClickAsync();
        }
        await operation.Locator("textarea.body-param__text").FillAsync($$"""{"name":"{{name}}"}""");
        await operation.Locator("button.execute").ClickAsync();
        var status = operation.Locator(".live-responses-table .response .response-col_status").First;
        await status.WaitForAsync();
        return (await status.TextContentAsync())!.Trim()[..3];
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace TaskApi.Tests;

/// <summary>
/// Swagger UI as a person opens it: Debian's Chromium, headless, driven by Playwright (never its own browser download),
/// against the API on its Kestrel port.
/// </summary>
public sealed class SwaggerUiTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task SwaggerUi_OpenedInABrowser_ListsEveryOperationWithoutConsoleErrors()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // The build machines are offline: without these Chromium keeps trying to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

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
}

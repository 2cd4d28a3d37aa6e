using System.Net.Http.Json;
using Microsoft.Playwright;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The console's Email page in the running system, as Debian's Chromium drives it: a new template in the editor previews
/// what is typed (TaskApi's draft preview), each edit replacing the last, and a campaign created in the page to a small list is followed on
/// its page until it has sent (through the worker and smtp4dev).
/// </summary>
[Collection(RunningSystemCollection.Name)]
public sealed class ConsoleEmailTests(RunningSystemFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TemplateEditor_TypingIntoTheBody_ShowsTheTypedTextInThePreview()
    {
        var name = $"editor {Guid.NewGuid():N}";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = page.RecordErrors();
        await fixture.SignInToConsoleAsync(page, "/email/templates/new");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByTestId("template-name").Locator("input").FillAsync(name);
        await page.GetByTestId("template-subject").Locator("input").FillAsync("Hello {{ recipient.name }}");
        await page.GetByTestId("template-html").Locator("textarea").FillAsync("<p>First draft for {{ recipient.name }}</p>");
        var preview = page.FrameLocator("[data-testid=preview-html]");
        await preview.GetByText("First draft for Ann Example").WaitForAsync();

        await page.GetByTestId("template-html").Locator("textarea").FillAsync("<p>Typed later: {{ message | upcase }}</p>");
        await preview.GetByText("Typed later: SPRING IS HERE").WaitForAsync();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task CampaignPage_CampaignCreatedInThePageToASmallList_ReachesSent()
    {
        var suffix = Guid.NewGuid().ToString("N");
        using var api = fixture.CreateApiClient();
        var templateName = $"campaign template {suffix}";
        await api.PostCreatedAsync("/templates", new { name = templateName, subject = "News for {{ recipient.name }}", html = "<p>{{ message }}</p>" });
        var listName = $"small list {suffix}";
        var listId = (await api.PostCreatedAsync("/lists", new { name = listName })).GetInt64();
        var import = await api.PostAsJsonAsync($"/lists/{listId}/subscribers", new[]
        {
            new { email = $"ann.{suffix}@example.com", name = "Ann" },
            new { email = $"bob.{suffix}@example.com", name = "Bob" },
        });
        import.EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = page.RecordErrors();
        await fixture.SignInToConsoleAsync(page, "/email");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByTestId("new-campaign").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByTestId("campaign-name").FillAsync($"campaign {suffix}");
        await dialog.GetByTestId("campaign-template").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(templateName, new() { Exact = true }).ClickAsync();
        await dialog.GetByTestId("campaign-lists").GetByLabel(listName).CheckAsync();
        await dialog.GetByTestId("campaign-from").FillAsync("news@example.com");
        await dialog.GetByTestId("create-campaign").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/email/campaigns/[0-9]+$"), new() { Timeout = (float)Timeout.TotalMilliseconds });
        await page.GetByTestId("campaign-status").Filter(new() { HasText = "sent" }).WaitForAsync(new() { Timeout = (float)Timeout.TotalMilliseconds });
        await page.GetByTestId("campaign-stats").Filter(new() { HasText = "Sent 2" }).WaitForAsync();
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"bob.{suffix}@example.com" }).WaitForAsync();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }
}

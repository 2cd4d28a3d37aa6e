using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The console's Overview and Dead letters pages in the running system, as Debian's Chromium drives them: a dead letter
/// produced to a *.dlq topic is listed, opened and replayed, and the task it asked for is created; the overview's counts
/// follow a task created through the API.
/// </summary>
[Collection(RunningSystemCollection.Name)]
public sealed class ConsolePagesTests(RunningSystemFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeadLetterPage_ValidTaskRequestDeadLettered_IsListedReplayedAndTheTaskCreated()
    {
        var name = $"replayed {Guid.NewGuid():N}";
        var reason = $"a test's rejection {Guid.NewGuid():N}";
        await fixture.ProduceTaskDeadLetterAsync(name, reason);
        using var api = fixture.CreateApiClient();
        // TaskApi's consumer stores it: then the page has it to list.
        await Eventually.UntilAsync(async () => await TotalAsync(api, $"/dead-letters?reason={Uri.EscapeDataString(reason)}") == 1,
            Timeout, $"dead letter '{reason}' to be stored");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = page.RecordErrors();
        await fixture.SignInToConsoleAsync(page, "/dead-letters");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByLabel("Reason contains").FillAsync(reason);
        // The filter applies once typing has rested; until then the unfiltered list may show the row too, and a click on
        // it could land while the list is re-rendered for the filter. Only this dead letter matches the reason.
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link) }))
            .ToHaveCountAsync(1, new() { Timeout = (float)Timeout.TotalMilliseconds });
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = reason });
        await row.GetByRole(AriaRole.Link, new() { Name = $"{KafkaTopics.TaskRequestsDeadLetter} → {KafkaTopics.TaskRequests}" }).ClickAsync();
        await page.GetByTestId("dead-letter-payload").Filter(new() { HasText = name }).WaitForAsync();
        await page.GetByTestId("replay").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await page.GetByText("Dead letter replayed").WaitForAsync();

        await Eventually.UntilAsync(async () => await TotalAsync(api, $"/tasks?name={Uri.EscapeDataString(name)}") == 1,
            Timeout, $"task '{name}' to be created by the replay");
        await page.GotoAsync(new Uri(fixture.ConsoleAddress, "/dead-letters").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.GetByLabel("Reason contains").FillAsync(reason);
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = reason }).GetByTestId("dead-letter-state")
            .Filter(new() { HasText = "replayed" }).WaitForAsync();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Overview_TaskCreatedThroughTheApi_AppearsInTheTasksCountWithinAFewRefreshes()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = page.RecordErrors();
        await fixture.SignInToConsoleAsync(page, "/");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        // The sum over the statuses: other tests' tasks change status meanwhile, but none leaves the count.
        var before = await TasksCountedAsync(page);

        using var api = fixture.CreateApiClient();
        await api.PostCreatedAsync("/tasks", new { name = $"counted {Guid.NewGuid():N}", delaySeconds = 3600 });

        await Eventually.UntilAsync(async () => await TasksCountedAsync(page) > before, Timeout, "the overview's tasks count to grow");
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    private static async Task<long> TotalAsync(HttpClient api, string path) =>
        (await api.GetFromJsonAsync<JsonElement>(path)).GetProperty("total").GetInt64();

    private static async Task<long> TasksCountedAsync(IPage page)
    {
        var counts = await page.Locator("[data-testid^='count-']").AllTextContentsAsync();
        return counts.Sum(count => long.Parse(count, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }

}

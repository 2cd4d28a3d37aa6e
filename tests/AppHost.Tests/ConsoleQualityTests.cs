using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// What a user notices on every page of the console, in the running system: no serious or critical accessibility
/// violation (axe-core), no horizontal scrolling and the main heading in view at 1280×800 and on a 390×844 phone, and a
/// screenshot of each at both sizes. The pages are the navigation menu's links (so a page added to the menu is checked
/// without editing this test) and the detail pages: a task's, a dead letter's, and administration's tabs.
/// </summary>
[Collection(RunningSystemCollection.Name)]
public sealed class ConsoleQualityTests(RunningSystemFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The sizes each page is looked at: a laptop's and a phone's.</summary>
    private static readonly (int Width, int Height) Laptop = (1280, 800), Phone = (390, 844);

    /// <summary>Impacts that fail the test; axe's minor and moderate findings are left to judgement.</summary>
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    /// <summary>
    /// Where the screenshots go: TestResults/screenshots at the repository's root (gitignored), which stays after the run;
    /// scripts/test.sh's --results-directory is a temporary folder it deletes.
    /// </summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    /// <summary>
    /// One signed-in browser context for every check, with a page at each size: each console page is opened in both at
    /// once (fresh loads, each at its own size, as a phone would load it), axe runs at the laptop size (the phone's layout
    /// has the same components, its drawer closed). Every concern's failures are gathered, then reported together.
    /// </summary>
    [Fact]
    public async Task EveryPage_AtLaptopAndPhoneSizes_HasNoSeriousAccessibilityViolationNoHorizontalScrollAndItsHeadingInView()
    {
        var detailPages = DetailPagesAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var laptop = await context.NewPageAsync();
        await laptop.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
        var phone = await context.NewPageAsync();
        await phone.SetViewportSizeAsync(Phone.Width, Phone.Height);
        var laptopErrors = laptop.RecordErrors();
        var phoneErrors = phone.RecordErrors();
        await fixture.SignInToConsoleAsync(laptop, "/");
        await Task.WhenAll(StartAsync(laptop), StartAsync(phone));
        var pages = (await MenuPagesAsync(laptop)).Concat(await detailPages);
        var failures = new List<string>();

        foreach (var consolePage in pages)
        {
            await Task.WhenAll(OpenAsync(laptop, consolePage), OpenAsync(phone, consolePage));
            failures.AddRange(await SeriousViolationsAsync(laptop, consolePage.Name));
            foreach (var (page, size) in new[] { (laptop, Laptop), (phone, Phone) })
            {
                failures.AddRange(await LayoutFailuresAsync(page, consolePage.Name, size));
                await page.ScreenshotAsync(new()
                {
                    Path = Path.Combine(ScreenshotDirectory, $"{consolePage.Name}-{size.Width}x{size.Height}.png"),
                    FullPage = true,
                });
            }
        }

        failures.AddRange(laptopErrors.Concat(phoneErrors).Select(error => $"browser error: {error}"));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>A page to check: its name in the screenshots' file names, its path, and what to do once it is open (a tab to choose).</summary>
    private sealed record ConsolePage(string Name, string Path, string? Tab = null);

    /// <summary>Every link of the navigation menu, named after its path ("" is the overview).</summary>
    private static async Task<List<ConsolePage>> MenuPagesAsync(IPage page)
    {
        var paths = await page.Locator(".mud-drawer a[href]").EvaluateAllAsync<string[]>(
            "links => links.map(link => new URL(link.href).pathname)");
        Assert.NotEmpty(paths);
        return [.. paths.Distinct().Select(path => new ConsolePage(path == "/" ? "overview" : path.Trim('/').Replace('/', '-'), path))];
    }

    /// <summary>The pages the menu does not link to: a task's, a dead letter's (both made for it) and administration's other tabs.</summary>
    private async Task<List<ConsolePage>> DetailPagesAsync()
    {
        var taskId = await fixture.CreateTaskAsync($"quality {Guid.NewGuid():N}");
        var reason = $"a quality check's dead letter {Guid.NewGuid():N}";
        await fixture.ProduceTaskDeadLetterAsync($"quality {Guid.NewGuid():N}", reason);
        using var api = fixture.CreateApiClient();
        var deadLetterId = await Eventually.GetAsync(async () =>
        {
            var items = (await api.GetFromJsonAsync<JsonElement>($"/dead-letters?reason={Uri.EscapeDataString(reason)}")).GetProperty("items");
            return items.GetArrayLength() == 1 ? items[0].GetProperty("id").GetInt64().ToString() : null;
        }, Timeout, $"dead letter '{reason}' to be stored");
        return
        [
            new("task", $"/tasks/{taskId}"),
            new("dead-letter", $"/dead-letters/{deadLetterId}"),
            new("administration-apps", "/administration", Tab: "Apps"),
            new("administration-audit-log", "/administration", Tab: "Audit log"),
        ];
    }

    /// <summary>The console's overview, once interactive: the circuit the other pages are then opened in.</summary>
    private async Task StartAsync(IPage page)
    {
        if (new Uri(page.Url).AbsolutePath != "/")
        {
            await page.GotoAsync(new Uri(fixture.ConsoleAddress, "/").ToString());
        }
        await page.Locator("[data-interactive=true]").WaitForAsync();
    }

    /// <summary>
    /// Opens the page in the circuit, as a click on a link does (a load per page would start a circuit each time), and
    /// waits until its lists have loaded. The old page's headings are marked first, so that an unmarked one says the new
    /// page has rendered.
    /// </summary>
    private static async Task OpenAsync(IPage page, ConsolePage consolePage)
    {
        if (new Uri(page.Url).AbsolutePath != consolePage.Path)
        {
            await page.EvaluateAsync("path => { document.querySelectorAll('h1').forEach(h => h.dataset.stale = 'true'); Blazor.navigateTo(path); }",
                consolePage.Path);
            await page.Locator("h1:not([data-stale])").WaitForAsync();
        }
        if (consolePage.Tab is { } tab)
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
        }
        // The lists say "Loading…" until their first answer.
        await Assertions.Expect(page.GetByText("Loading…")).ToHaveCountAsync(0, new() { Timeout = (float)Timeout.TotalMilliseconds });
    }

    private static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, string name)
    {
        // Violations only: axe then skips describing the passes, most of its work and of the answer.
        var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        return result.Violations
            .Where(violation => FailingImpacts.Contains(violation.Impact))
            .Select(violation => $"{name}: axe {violation.Id} ({violation.Impact}) at " +
                string.Join(", ", violation.Nodes.Select(node => node.Target.ToString())) + $": {violation.Help}");
    }

    private static async Task<IEnumerable<string>> LayoutFailuresAsync(IPage page, string name, (int Width, int Height) size)
    {
        var failures = new List<string>();
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        if (scrollWidth > innerWidth)
        {
            failures.Add($"{name} at {size.Width}x{size.Height}: the document scrolls sideways ({scrollWidth} px wide in {innerWidth} px)");
        }
        if (!await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First.IsVisibleAsync())
        {
            failures.Add($"{name} at {size.Width}x{size.Height}: its main heading (h1) is not visible");
        }
        return failures;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tasks.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException($"No Tasks.sln above {AppContext.BaseDirectory}.");
    }
}

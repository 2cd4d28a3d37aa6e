using Microsoft.Playwright;

namespace Tasks.Testing;

/// <summary>Debian's Chromium, headless, driven by Playwright (never a browser Playwright downloads).</summary>
public static class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // The build machines are offline: without these Chromium keeps trying to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>The errors <paramref name="page"/> reports from now on: its console's errors and its uncaught exceptions.</summary>
    public static List<string> RecordErrors(this IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    /// <summary>Opens <paramref name="address"/> of the console and signs in at the identity service's login page it is sent to.</summary>
    public static async Task SignInToConsoleAsync(this IPage page, Uri address, string login, string password)
    {
        await page.GotoAsync(address.ToString());
        await page.GetByLabel("Login").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}

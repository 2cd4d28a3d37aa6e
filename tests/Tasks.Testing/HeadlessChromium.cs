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
}

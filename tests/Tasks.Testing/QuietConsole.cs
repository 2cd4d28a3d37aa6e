namespace Tasks.Testing;

/// <summary>The setting that keeps an in-process service's Information logs off the test host's console.</summary>
public static class QuietConsole
{
    /// <summary>
    /// A service logs each send or request; written to the test host's console, thousands of lines a second fill the
    /// console logger's queue, and every log call then blocks until the test runner has read the backlog: a stall of
    /// seconds in whichever test runs next (a rate limit's permitted calls arrived bunched after one). Warnings and
    /// errors still show; other log providers (the tests' own) are not affected.
    /// </summary>
    public static readonly (string Key, string Value) Setting = ("Logging:Console:LogLevel:Default", "Warning");
}

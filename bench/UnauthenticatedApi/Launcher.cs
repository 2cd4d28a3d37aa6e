namespace UnauthenticatedApi;

/// <summary>The process's entry point (not top-level statements: their implicit <c>Program</c> would hide TaskApi's).</summary>
internal static class Launcher
{
    /// <summary>Runs until SIGTERM or Ctrl+C (the host's console lifetime stops the application) or until the bench kills the process.</summary>
    private static async Task Main()
    {
        await using var api = new UnauthenticatedTaskApi();
        // Kestrel on the addresses TaskApi's configuration gives (ASPNETCORE_URLS), logging "Now listening on: ..." as TaskApi does.
        api.UseKestrel();
        api.StartServer();
        var stopping = new TaskCompletionSource();
        api.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        await stopping.Task;
    }
}

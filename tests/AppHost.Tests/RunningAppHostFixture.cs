namespace AppHost.Tests;

/// <summary>
/// One AppHost for a test class, started the way a developer would with replicas: two TaskApi and two TaskWorker
/// instances beside one Scheduler, over a private PostgreSQL, Redis and the embedded Kafka.
/// </summary>
public sealed class RunningAppHostFixture : IAsyncLifetime
{
    private AppHostProcess? _appHost;

    public string DataDirectory { get; } = AppHostProcess.NewDataDirectory();

    public AppHostProcess AppHost => _appHost ?? throw new InvalidOperationException("The AppHost did not start.");

    public async Task InitializeAsync() =>
        _appHost = await AppHostProcess.StartUpAsync(DataDirectory, AppHostProcess.FreeApiUrl(), "--replicas", "worker=2", "api=2");

    /// <summary>Also runs when the start failed, so the data folder never stays behind.</summary>
    public async Task DisposeAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync();
        }
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

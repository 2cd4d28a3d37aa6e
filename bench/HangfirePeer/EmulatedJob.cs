using Hangfire;

namespace HangfirePeer;

/// <summary>How the peer runs; bound from the <c>Peer</c> section (the benchmark sets it).</summary>
public sealed class PeerSettings
{
    public const string SectionName = "Peer";

    public TimeSpan MinDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
    public double FailureProbability { get; set; } = 0.2;

    /// <summary>Hangfire's workers are threads, one job each; its default here would be min(5 × cores, 20).</summary>
    public int WorkerCount { get; set; } = 20;

    /// <summary>How often an idle worker asks PostgreSQL for a job (Hangfire.PostgreSql's default is 15 s).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed record JobRequest(string Name);

/// <summary>TaskWorker's emulated run: a random delay, then success or, with the same probability, a failure that stays failed.</summary>
public sealed class EmulatedJob(PeerSettings settings)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(string name)
    {
        var range = settings.MaxDelay - settings.MinDelay;
        await Task.Delay(settings.MinDelay + range * Random.Shared.NextDouble());
        if (Random.Shared.NextDouble() < settings.FailureProbability)
        {
            throw new InvalidOperationException($"Emulated failure of '{name}'");
        }
    }
}

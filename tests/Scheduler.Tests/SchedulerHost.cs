using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Intake;
using Scheduler.Storage;
using Tasks.Testing;

namespace Scheduler.Tests;

/// <summary>The Scheduler in-process on Kestrel (real sockets, as TaskApi's tests run) against the given Redis and Kafka.</summary>
public sealed class SchedulerHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    private SchedulerHost(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public ScheduleStore Store => Services.GetRequiredService<ScheduleStore>();

    /// <summary>Starts a Scheduler whose Redis keys begin with <paramref name="keyPrefix"/>; <paramref name="overrides"/> are further configuration keys.</summary>
    public static SchedulerHost Start(string redis, string kafka, string keyPrefix, params (string Key, string Value)[] overrides)
    {
        var settings = Settings(redis, kafka, keyPrefix);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        var host = new SchedulerHost(settings);
        host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        host.StartServer();
        return host;
    }

    /// <summary>The configuration a test Scheduler runs with, as configuration keys (<c>Section:Key</c>).</summary>
    public static Dictionary<string, string> Settings(string redis, string kafka, string keyPrefix) => new(Schedules.TargetTopics
        .Select((topic, i) => KeyValuePair.Create($"Scheduler:ReleaseTopics:{i}", topic)))
    {
        ["ConnectionStrings:redis"] = redis,
        ["ConnectionStrings:kafka"] = kafka,
        ["Scheduler:KeyPrefix"] = keyPrefix,
        // The embedded broker rebalances after session timeout − 1 s; keep that short for tests that start several members.
        [$"Aspire:Confluent:Kafka:Consumer:{ScheduleRequestsConsumer.ConsumerKey}:Config:session.timeout.ms"] = "6000",
        [$"Aspire:Confluent:Kafka:Consumer:{ScheduleCancelsConsumer.ConsumerKey}:Config:session.timeout.ms"] = "6000",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(QuietConsole.Setting.Key, QuietConsole.Setting.Value);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Tasks.Testing;
using TaskWorker.Email;
using TaskWorker.Notifications;
using TaskWorker.Sms;
using TaskWorker.Work;

namespace TaskWorker.Tests;

/// <summary>
/// TaskWorker in-process on Kestrel (real sockets), consuming from an embedded cluster. Its runs are quick and
/// succeed unless a test sets other <c>Worker:*</c> values; it sends SMS only with <see cref="SendingSms"/>'s settings,
/// email only with <see cref="SendingEmail"/>'s.
/// </summary>
public sealed class WorkerFactory : WebApplicationFactory<Program>
{
    /// <summary>The bearer token <see cref="SendingSms"/> gives the worker.</summary>
    public const string SmsToken = "stand-in-token";

    private readonly Dictionary<string, string> _settings;

    private WorkerFactory(KafkaFixture kafka, IEnumerable<(string Key, string Value)> settings)
    {
        _settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["Worker:MinDelay"] = "00:00:00.050",
            ["Worker:MaxDelay"] = "00:00:00.050",
            ["Worker:FailureProbability"] = "0",
            [QuietConsole.Setting.Key] = QuietConsole.Setting.Value,
        };
        foreach (var consumerKey in new[]
                 {
                     TaskWorkConsumer.ServiceKey, SmsSendConsumer.ServiceKey, EmailSendConsumer.ServiceKey,
                     NotificationLane.OrdinaryKey, NotificationLane.ExpressKey,
                 })
        {
            var config = $"Aspire:Confluent:Kafka:Consumer:{consumerKey}:Config";
            // The embedded broker waits session.timeout.ms − 1 s after a membership change before the group moves on.
            _settings[$"{config}:session.timeout.ms"] = "6000";
            // Commits reach the broker within a moment instead of librdkafka's 5 s, so tests can await them.
            _settings[$"{config}:auto.commit.interval.ms"] = "100";
        }
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>
    /// Starts a worker. It consumes once its group has assigned it the partitions, about 3 s later on the embedded
    /// broker; records produced meanwhile wait for it.
    /// </summary>
    public static WorkerFactory Start(KafkaFixture kafka, params (string Key, string Value)[] settings) => Start(new WorkerFactory(kafka, settings));

    /// <summary>As <see cref="Start"/>, and the worker's logs are kept for the test: <c>Services.GetFakeLogCollector()</c>.</summary>
    public static WorkerFactory StartCollectingLogs(KafkaFixture kafka, params (string Key, string Value)[] settings) =>
        Start(new WorkerFactory(kafka, settings) { _collectsLogs = true });

    private bool _collectsLogs;

    private static WorkerFactory Start(WorkerFactory factory)
    {
        try
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            return factory;
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    /// <summary>The settings of a worker that sends SMS to <paramref name="baseUrl"/> with its markers and rate limit in <paramref name="redis"/>.</summary>
    public static (string Key, string Value)[] SendingSms(RedisServer redis, Uri baseUrl, params (string Key, string Value)[] more) =>
    [
        ("ConnectionStrings:redis", redis.ConnectionString),
        ("Sms:BaseUrl", baseUrl.ToString()),
        ("Sms:Token", SmsToken),
        .. more,
    ];

    /// <summary>Where <see cref="SendingEmail"/>'s tracking links and unsubscribe addresses point.</summary>
    public const string TrackingBaseUrl = "https://t.shop.example";

    /// <summary>The tracking key the worker shares with TaskApi, which also signs its content emails.</summary>
    public const string TrackingKey = "stand-in-tracking-key-of-at-least-32-bytes";

    /// <summary>
    /// The settings of a worker that sends email to <paramref name="smtp"/> (plain SMTP unless told otherwise) with its
    /// markers and rate limit in <paramref name="redis"/>, and tracking links under <see cref="TrackingBaseUrl"/>.
    /// </summary>
    public static (string Key, string Value)[] SendingEmail(RedisServer redis, StandInSmtpServer smtp, params (string Key, string Value)[] more) =>
    [
        ("ConnectionStrings:redis", redis.ConnectionString),
        ("Smtp:Host", smtp.Host),
        ("Smtp:Port", smtp.Port.ToString()),
        ("Tracking:PublicBaseUrl", TrackingBaseUrl),
        ("Tracking:Key", TrackingKey),
        .. more,
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_collectsLogs)
        {
            builder.ConfigureLogging(logging => logging.AddFakeLogging());
        }
    }
}

using Tasks.Testing;

namespace TaskWorker.Tests.Notifications;

/// <summary>
/// One cluster, one Redis, one stand-in SMS provider, one stand-in SMTP server and one worker sending both (so it sends
/// notifications), with 1 s attempt timeouts, a <see cref="ContentWait"/> for unknown notifications and no rate limit,
/// shared by the tests of a class; each test tells its deliveries apart by id and recipient.
/// </summary>
public sealed class NotificationWorkerFixture : IAsyncLifetime
{
    public static readonly TimeSpan ContentWait = TimeSpan.FromSeconds(3);

    public KafkaFixture Kafka { get; } = new();

    public RedisServer Redis { get; } = RedisServer.Start();

    public StandInSmsGateway Gateway { get; private set; } = null!;

    public StandInSmtpServer Smtp { get; private set; } = null!;

    public WorkerFactory Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await StandInSmsGateway.StartAsync();
        Smtp = await StandInSmtpServer.StartAsync();
        Worker = WorkerFactory.StartCollectingLogs(Kafka, SendingNotifications(Redis, Gateway, Smtp,
            ("Sms:Timeout", "00:00:01"),
            ("Smtp:Timeout", "00:00:01"),
            ("Notifications:ContentWait", ContentWait.ToString("c"))));
    }

    /// <summary>The settings of a worker that sends SMS and email to the stand-ins, and so notifications.</summary>
    public static (string Key, string Value)[] SendingNotifications(
        RedisServer redis, StandInSmsGateway gateway, StandInSmtpServer smtp, params (string Key, string Value)[] more) =>
        [.. WorkerFactory.SendingSms(redis, gateway.BaseUrl), .. WorkerFactory.SendingEmail(redis, smtp), .. more];

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Smtp.DisposeAsync();
        await Gateway.DisposeAsync();
        Redis.Dispose();
        Kafka.Dispose();
    }
}

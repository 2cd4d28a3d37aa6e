using Tasks.Testing;

namespace TaskWorker.Tests.Email;

/// <summary>
/// One cluster, one Redis, one stand-in SMTP server and one worker sending to it over at most
/// <see cref="MaxConnections"/> sessions, with a 1 s attempt timeout, a 1 s wait for unknown campaigns and no rate limit,
/// shared by the tests of a class; each test tells its emails apart by recipient and id.
/// </summary>
public sealed class EmailWorkerFixture : IAsyncLifetime
{
    public const int MaxConnections = 2;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CampaignWait = TimeSpan.FromSeconds(1);

    public KafkaFixture Kafka { get; } = new();

    public RedisServer Redis { get; } = RedisServer.Start();

    public StandInSmtpServer Smtp { get; private set; } = null!;

    public WorkerFactory Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await StandInSmtpServer.StartAsync();
        Worker = WorkerFactory.Start(Kafka, WorkerFactory.SendingEmail(Redis, Smtp,
            ("Smtp:Timeout", AttemptTimeout.ToString("c")),
            ("Smtp:CampaignWait", CampaignWait.ToString("c")),
            ("Smtp:MaxConnections", MaxConnections.ToString())));
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Smtp.DisposeAsync();
        Redis.Dispose();
        Kafka.Dispose();
    }
}

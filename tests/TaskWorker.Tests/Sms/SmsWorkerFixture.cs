using Tasks.Testing;

namespace TaskWorker.Tests.Sms;

/// <summary>
/// One cluster, one Redis, one stand-in SMS provider and one worker sending to it with a 1 s attempt timeout and no rate
/// limit, shared by the tests of a class; each test tells its messages apart by id.
/// </summary>
public sealed class SmsWorkerFixture : IAsyncLifetime
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    public KafkaFixture Kafka { get; } = new();

    public RedisServer Redis { get; } = RedisServer.Start();

    public StandInSmsGateway Gateway { get; private set; } = null!;

    public WorkerFactory Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await StandInSmsGateway.StartAsync();
        Worker = WorkerFactory.StartCollectingLogs(Kafka, WorkerFactory.SendingSms(Redis, Gateway.BaseUrl, ("Sms:Timeout", AttemptTimeout.ToString("c"))));
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Gateway.DisposeAsync();
        Redis.Dispose();
        Kafka.Dispose();
    }
}

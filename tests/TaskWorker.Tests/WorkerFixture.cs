using Tasks.Testing;

namespace TaskWorker.Tests;

/// <summary>One cluster and one worker with the default test settings, shared by the tests of a class.</summary>
public sealed class WorkerFixture : IDisposable
{
    public WorkerFixture() => Worker = WorkerFactory.Start(Kafka);

    public KafkaFixture Kafka { get; } = new();

    public WorkerFactory Worker { get; }

    public void Dispose()
    {
        Worker.Dispose();
        Kafka.Dispose();
    }
}

using System.Runtime.InteropServices;
using AppHost.Model;
using EmbeddedKafka;

namespace AppHost.Running;

/// <summary>
/// Kafka as librdkafka's mock cluster inside the AppHost's process (no Kafka broker can be installed on the build
/// machines): it speaks the Kafka protocol on a loopback port, so the services connect to it as to a broker.
/// Everything is kept in memory and ends with the AppHost.
/// </summary>
public sealed class EmbeddedKafkaRunner(KafkaResource kafka, RunValues values) : ResourceRunner(kafka)
{
    private KafkaMockCluster? _cluster;

    public override void CheckPrerequisites()
    {
        if (!NativeLibrary.TryLoad("librdkafka", typeof(KafkaMockCluster).Assembly, null, out _))
        {
            throw new AppHostException("librdkafka not found: run scripts/prerequisites.sh, or set ConnectionStrings__kafka to use a Kafka cluster");
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _cluster = KafkaMockCluster.Start();
        foreach (var topic in kafka.Topics)
        {
            _cluster.CreateTopic(topic, kafka.PartitionsPerTopic);
        }
        values.Set(Expressions.ConnectionString(kafka), _cluster.BootstrapServers);
        return Task.CompletedTask;
    }

    public override Task StopAsync(CancellationToken stopNow)
    {
        _cluster?.Dispose();
        return Task.CompletedTask;
    }

    public override IEnumerable<ResourceRow> Rows =>
    [
        new(Resource.Name, "running", Environment.ProcessId, _cluster!.BootstrapServers,
            $"embedded mock cluster in the AppHost's process, in memory; {kafka.Topics.Count} topics of {kafka.PartitionsPerTopic} partitions"),
    ];
}

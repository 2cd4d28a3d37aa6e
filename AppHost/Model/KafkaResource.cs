namespace AppHost.Model;

/// <summary>
/// A Kafka broker (Aspire's <c>AddKafka</c>: Confluent's single-node KRaft image with its listeners for clients
/// outside and inside the deployment network). Runs locally as librdkafka's in-process mock cluster.
/// </summary>
public sealed class KafkaResource : ContainerResource, IResourceWithConnectionString
{
    private const string LogDirectory = "/var/lib/kafka/data";

    public KafkaResource(string name, IReadOnlyList<string> topics, int partitionsPerTopic) : base(name, "docker.io/confluentinc/confluent-local:7.9.0")
    {
        Topics = topics;
        PartitionsPerTopic = partitionsPerTopic;
        Environment = new Dictionary<string, string>
        {
            ["KAFKA_LISTENERS"] = "PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT_INTERNAL://0.0.0.0:9093",
            ["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT",
            ["KAFKA_ADVERTISED_LISTENERS"] =
                $"PLAINTEXT://{Expressions.Host(this)}:29092,PLAINTEXT_HOST://{Expressions.Host(this)}:{Expressions.Port(this)}," +
                $"PLAINTEXT_INTERNAL://{Expressions.Host(this, "internal")}:{Expressions.Port(this, "internal")}",
            ["KAFKA_LOG_DIRS"] = LogDirectory,
            // A real broker creates the topics on first use; with as many partitions as the embedded cluster has,
            // replicas split the work the same way in both.
            ["KAFKA_NUM_PARTITIONS"] = partitionsPerTopic.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Bindings = [new Binding("tcp", "tcp", 9092), new Binding("internal", "tcp", 9093)];
        Volumes = [DataVolume(name, LogDirectory)];
    }

    /// <summary>The topics the services use; the embedded cluster creates them up front (it cannot through the Admin API).</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>The most consumers of one group that get work from a topic.</summary>
    public int PartitionsPerTopic { get; }

    /// <summary>Bootstrap servers, as Confluent.Kafka reads them.</summary>
    public string ConnectionStringExpression => $"{Expressions.Host(this)}:{Expressions.Port(this)}";
}

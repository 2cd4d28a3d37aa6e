using System.Globalization;
using EmbeddedKafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tasks.Shared;

namespace AppHost.Infrastructure;

public static class KafkaExtensions
{
    /// <summary>As many partitions as consumers of one group that can share a topic's work (replicas of one service).</summary>
    public const int PartitionsPerTopic = 8;

    private const string LogDirectory = "/var/lib/kafka/data";

    private static readonly string MaxRecordBytes = KafkaLimits.MaxRecordBytes.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A Kafka broker: Confluent's single-node KRaft image (Aspire.Hosting.Kafka is not served, so the container is
    /// described here as that package describes it), or librdkafka's mock cluster inside the AppHost's process (no Kafka
    /// broker installs on our build machines), or the cluster that <c>ConnectionStrings:{name}</c> names.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddKafkaBroker(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, string name)
    {
        if (builder.ExistingServer(name) is { } existing)
        {
            return existing;
        }
        return infrastructure.Containers ? builder.AddKafkaContainer(name) : builder.AddEmbeddedKafka(name);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddKafkaContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var kafka = new KafkaContainerResource(name);
        return builder.AddResource(kafka)
            .WithImage("confluentinc/confluent-local", "7.9.0")
            .WithImageRegistry("docker.io")
            .WithEndpoint(targetPort: 9092, name: KafkaContainerResource.PrimaryEndpointName, scheme: "tcp")
            .WithEndpoint(targetPort: 9093, name: KafkaContainerResource.InternalEndpointName, scheme: "tcp")
            .WithEnvironment("KAFKA_LISTENERS", "PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT_INTERNAL://0.0.0.0:9093")
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT")
            .WithEnvironment("KAFKA_ADVERTISED_LISTENERS", ReferenceExpression.Create(
                $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{kafka.PrimaryEndpoint.Property(EndpointProperty.Host)}:{kafka.PrimaryEndpoint.Property(EndpointProperty.Port)}," +
                $"PLAINTEXT_INTERNAL://{kafka.InternalEndpoint.Property(EndpointProperty.Host)}:{kafka.InternalEndpoint.Property(EndpointProperty.Port)}"))
            .WithEnvironment("KAFKA_LOG_DIRS", LogDirectory)
            // A real broker creates topics on first use: with as many partitions as the embedded cluster's, replicas
            // split the work the same way in both.
            .WithEnvironment("KAFKA_NUM_PARTITIONS", PartitionsPerTopic.ToString(CultureInfo.InvariantCulture))
            // The largest record our producers write (their message.max.bytes): the broker's limit, which every topic's
            // max.message.bytes defaults to, and what a follower fetches, so a record the producer sends is never refused.
            .WithEnvironment("KAFKA_MESSAGE_MAX_BYTES", MaxRecordBytes)
            .WithEnvironment("KAFKA_REPLICA_FETCH_MAX_BYTES", MaxRecordBytes)
            .WithVolume("tasks-kafka-data", LogDirectory);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddEmbeddedKafka(this IDistributedApplicationBuilder builder, string name)
    {
        builder.Services.AddSingleton<EmbeddedKafkaCluster>();
        return builder.AddResource(new EmbeddedKafkaResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Kafka",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithIconName("Server")
            .ExcludeFromManifest()
            .OnInitializeResource(async (kafka, initialize, cancellationToken) =>
            {
                await initialize.Eventing.PublishAsync(new BeforeResourceStartedEvent(kafka, initialize.Services), cancellationToken);
                var cluster = initialize.Services.GetRequiredService<EmbeddedKafkaCluster>().Start();
                kafka.BootstrapServers.Set(cluster.BootstrapServers);
                initialize.Logger.LogInformation("Embedded Kafka (librdkafka's mock cluster, in memory) at {BootstrapServers}: {Topics} topics of {Partitions} partitions",
                    cluster.BootstrapServers, KafkaTopics.All.Count, PartitionsPerTopic);
                await initialize.Notifications.PublishUpdateAsync(kafka, snapshot => snapshot with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                    Properties = [.. snapshot.Properties, new("kafka.bootstrapServers", cluster.BootstrapServers)],
                });
                await initialize.Eventing.PublishAsync(new ConnectionStringAvailableEvent(kafka, initialize.Services), cancellationToken);
            });
    }

    /// <summary>The mock cluster of this AppHost run, stopped with the AppHost (the container disposes it).</summary>
    private sealed class EmbeddedKafkaCluster : IDisposable
    {
        private KafkaMockCluster? _cluster;

        public KafkaMockCluster Start()
        {
            _cluster = KafkaMockCluster.Start();
            // The mock cannot create topics through the Admin API; auto-created ones would get 4 partitions.
            foreach (var topic in KafkaTopics.All)
            {
                _cluster.CreateTopic(topic, PartitionsPerTopic);
            }
            return _cluster;
        }

        public void Dispose() => _cluster?.Dispose();
    }
}

/// <summary>Kafka in a container (the image Aspire.Hosting.Kafka uses): clients outside the container network use <c>tcp</c>, containers <c>internal</c>.</summary>
public sealed class KafkaContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string InternalEndpointName = "internal";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);
    public EndpointReference InternalEndpoint => new(this, InternalEndpointName);

    /// <summary>Bootstrap servers, as Confluent.Kafka reads them.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}

/// <summary>librdkafka's mock cluster in the AppHost's process; its address is known once it has started.</summary>
public sealed class EmbeddedKafkaResource(string name) : Resource(name), IResourceWithConnectionString
{
    internal LateValue BootstrapServers { get; } = new($"{{{name}.connectionString}}");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{BootstrapServers}");

    /// <summary>A value that resolves when it has been set: what the services' environment waits for.</summary>
    internal sealed class LateValue(string manifestExpression) : IValueProvider, IManifestExpressionProvider
    {
        private readonly TaskCompletionSource<string> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string ValueExpression => manifestExpression;

        public void Set(string value) => _value.TrySetResult(value);

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
            await _value.Task.WaitAsync(cancellationToken);
    }
}

using System.Runtime.InteropServices;

namespace EmbeddedKafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster, listening on random loopback TCP ports and
/// speaking the Kafka wire protocol, so clients in this or any other process connect to
/// <see cref="BootstrapServers"/> as to a real broker. Everything is kept in memory.
/// </summary>
/// <remarks>
/// Behaviour of librdkafka 2.16's mock cluster, measured with Confluent.Kafka 2.16 and kcat:
/// <list type="bullet">
/// <item>The Admin API's CreateTopics is not supported (it times out "waiting for controller"): create
/// topics with <see cref="CreateTopic"/>. A topic that a client produces to or asks metadata for is
/// auto-created with 4 partitions (replication factor min(3, brokers)).</item>
/// <item>Each partition keeps only its last 5 MB or 100,000 message sets; older ones are dropped and the
/// low watermark moves, as if retention had deleted them.</item>
/// <item>A Fetch that finds no new data is answered only after the full <c>fetch.wait.max.ms</c>, even if
/// data arrives meanwhile, so every produce-to-consume round trip takes that long (500 ms by default,
/// about 5 ms with <c>fetch.wait.max.ms=10</c>). Produce acknowledgements take about 1 ms. Resuming a paused
/// partition delivers again only after about 0.8 s.</item>
/// <item>Idempotent producers work: retried and injected retriable Produce errors are not duplicated.
/// Throughput is about 100,000 small idempotent messages (acks=all) in 0.5 s.</item>
/// <item>Consumer groups with rebalancing and offset commits work, but slowly: the first member is
/// assigned after 3 s, and after any membership change the group waits up to <c>session.timeout.ms</c>
/// minus 1 s for members to rejoin (with <c>session.timeout.ms=6000</c> a second member is assigned after
/// 5 s, or 10 s with the cooperative-sticky assignor's two rounds); use a short session timeout when a test
/// starts several members. Commits during a rebalance fail with REBALANCE_IN_PROGRESS.</item>
/// <item>Never call the Admin API's ListConsumerGroups: the mock answers UnsupportedFeature and the process
/// then crashes with heap corruption. DescribeCluster times out like CreateTopics.</item>
/// <item><see cref="SetBrokerDown"/> closes the broker's listener (clients get "connection refused");
/// <see cref="SetBrokerUp"/> reopens the same port. Clients then reconnect after their
/// <c>reconnect.backoff</c> (up to 10 s by default; lower <c>reconnect.backoff.max.ms</c> in tests).
/// A consumer cut off longer than its session timeout loses its partitions and rejoins on recovery.</item>
/// </list>
/// </remarks>
public sealed class KafkaMockCluster : IDisposable
{
    /// <summary>Broker id that addresses every broker in the broker-level fault-injection calls.</summary>
    public const int AllBrokers = -1;

    private readonly MockClusterSafeHandle _handle;

    private KafkaMockCluster(MockClusterSafeHandle handle, int brokerCount)
    {
        _handle = handle;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(NativeMethods.rd_kafka_mock_cluster_bootstraps(handle))
            ?? throw new KafkaMockException("rd_kafka_mock_cluster_bootstraps returned no address.", 0);
    }

    /// <summary>Comma-separated host:port list of the brokers (ids 1..<see cref="BrokerCount"/>).</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Starts a cluster whose brokers have ids 1 to <paramref name="brokerCount"/>.</summary>
    public static KafkaMockCluster Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        Microsoft.Extensions.Hosting.Librdkafka.UseBundledLibrary(typeof(KafkaMockCluster).Assembly);

        var kafka = CreateClientHandle();
        var cluster = NativeMethods.rd_kafka_mock_cluster_new(kafka, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            NativeMethods.rd_kafka_destroy(kafka);
            throw new KafkaMockException($"rd_kafka_mock_cluster_new failed to start {brokerCount} broker(s).", 0);
        }

        var handle = new MockClusterSafeHandle(cluster, kafka);
        try
        {
            return new KafkaMockCluster(handle, brokerCount);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a topic. Use this instead of the Admin API, whose CreateTopics the mock broker does not
    /// support; creating a topic that already exists fails.
    /// </summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        Check(
            NativeMethods.rd_kafka_mock_topic_create(Handle, topic, partitions, replicationFactor),
            $"creating topic '{topic}' with {partitions} partition(s), replication factor {replicationFactor}");
    }

    /// <summary>
    /// Closes the broker's connections and its listener, so clients get "connection refused" as from a crashed broker.
    /// Partition leadership does not move.
    /// </summary>
    /// <param name="brokerId">1 to <see cref="BrokerCount"/>, or <see cref="AllBrokers"/>.</param>
    public void SetBrokerDown(int brokerId) =>
        Check(NativeMethods.rd_kafka_mock_broker_set_down(Handle, brokerId), $"taking broker {brokerId} down");

    /// <summary>Makes the broker accept connections again, on the same port.</summary>
    /// <param name="brokerId">1 to <see cref="BrokerCount"/>, or <see cref="AllBrokers"/>.</param>
    public void SetBrokerUp(int brokerId) =>
        Check(NativeMethods.rd_kafka_mock_broker_set_up(Handle, brokerId), $"bringing broker {brokerId} up");

    /// <summary>Delays every response of the broker by <paramref name="roundTrip"/> (zero removes the delay).</summary>
    /// <param name="brokerId">1 to <see cref="BrokerCount"/>, or <see cref="AllBrokers"/>.</param>
    /// <param name="roundTrip">Added to each response; whole milliseconds.</param>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan roundTrip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero);
        Check(
            NativeMethods.rd_kafka_mock_broker_set_rtt(Handle, brokerId, checked((int)roundTrip.TotalMilliseconds)),
            $"setting the round-trip time of broker {brokerId}");
    }

    /// <summary>Moves a partition's leadership; -1 leaves the partition without a leader.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Check(
            NativeMethods.rd_kafka_mock_partition_set_leader(Handle, topic, partition, brokerId),
            $"setting the leader of '{topic}' [{partition}] to broker {brokerId}");
    }

    /// <summary>
    /// Makes the next requests of type <paramref name="apiKey"/>, on any broker, fail with
    /// <paramref name="errorCodes"/> in order, one error per request (0 lets a request through).
    /// Error codes are Kafka protocol codes, e.g. <c>(int)Confluent.Kafka.ErrorCode.NotLeaderForPartition</c>.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params int[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        NativeMethods.rd_kafka_mock_push_request_errors_array(Handle, (short)apiKey, (nuint)errorCodes.Length, errorCodes);
    }

    /// <summary>Drops the errors pushed for <paramref name="apiKey"/> that have not been returned yet.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey) =>
        NativeMethods.rd_kafka_mock_clear_request_errors(Handle, (short)apiKey);

    /// <summary>Stops the brokers and frees the cluster with all its data. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private MockClusterSafeHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    private static void Check(int error, string action)
    {
        if (error != 0)
        {
            throw new KafkaMockException($"Kafka mock cluster: {action} failed: {NativeMethods.ErrorText(error)}", error);
        }
    }

    private static unsafe IntPtr CreateClientHandle()
    {
        const int errorBufferSize = 512;
        var errorBuffer = stackalloc byte[errorBufferSize];

        var conf = NativeMethods.rd_kafka_conf_new();
        // The handle only hosts the cluster and never connects anywhere; keeping librdkafka's own
        // stderr logging to errors hides its "no bootstrap.servers" notice.
        if (NativeMethods.rd_kafka_conf_set(conf, "log_level", "3", errorBuffer, errorBufferSize) != NativeMethods.ConfOk)
        {
            NativeMethods.rd_kafka_conf_destroy(conf);
            throw new KafkaMockException($"rd_kafka_conf_set(log_level) failed: {Marshal.PtrToStringUTF8((IntPtr)errorBuffer)}", 0);
        }

        var kafka = NativeMethods.rd_kafka_new(NativeMethods.ProducerType, conf, errorBuffer, errorBufferSize);
        if (kafka == IntPtr.Zero)
        {
            // rd_kafka_new takes ownership of the configuration only when it succeeds.
            NativeMethods.rd_kafka_conf_destroy(conf);
            throw new KafkaMockException($"rd_kafka_new failed: {Marshal.PtrToStringUTF8((IntPtr)errorBuffer)}", 0);
        }

        return kafka;
    }
}

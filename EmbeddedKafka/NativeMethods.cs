using System.Runtime.InteropServices;

namespace EmbeddedKafka;

/// <summary>
/// P/Invoke declarations for librdkafka (rdkafka.h and rdkafka_mock.h of librdkafka 2.16).
/// "librdkafka" resolves to the library of the librdkafka.redist package that Confluent.Kafka loads too
/// (<c>Librdkafka.UseBundledLibrary</c> in ServiceDefaults), so the cluster and the clients share one copy.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "librdkafka";

    internal const int ProducerType = 0; // RD_KAFKA_PRODUCER
    internal const int ConfOk = 0; // RD_KAFKA_CONF_OK

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    internal static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    /// <summary>Takes ownership of <paramref name="conf"/> only when it returns a handle.</summary>
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    // Returns a pointer to a static string: marshalled by hand so nothing tries to free it.
    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2str(int err);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2name(int err);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr mcluster);

    // The returned string is owned by the cluster.
    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(MockClusterSafeHandle mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(MockClusterSafeHandle mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_partition_set_leader(MockClusterSafeHandle mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(MockClusterSafeHandle mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(MockClusterSafeHandle mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_rtt(MockClusterSafeHandle mcluster, int brokerId, int rttMs);

    // The non-variadic twin of rd_kafka_mock_push_request_errors: variadic calls cannot be marshalled portably.
    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(MockClusterSafeHandle mcluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_clear_request_errors(MockClusterSafeHandle mcluster, short apiKey);

    internal static string ErrorText(int err) =>
        $"{Marshal.PtrToStringUTF8(rd_kafka_err2str(err))} ({Marshal.PtrToStringUTF8(rd_kafka_err2name(err))})";
}

using Microsoft.Win32.SafeHandles;

namespace EmbeddedKafka;

/// <summary>
/// Owns an rd_kafka_mock_cluster_t together with the rd_kafka_t it was created on, because the cluster
/// must be destroyed before its client handle. As a SafeHandle it keeps both alive while a P/Invoke
/// using it is in flight, so Dispose racing with a fault-injection call cannot free them underneath it.
/// </summary>
internal sealed class MockClusterSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly IntPtr _kafka;

    internal MockClusterSafeHandle(IntPtr cluster, IntPtr kafka)
        : base(ownsHandle: true)
    {
        _kafka = kafka;
        SetHandle(cluster);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.rd_kafka_mock_cluster_destroy(handle);
        NativeMethods.rd_kafka_destroy(_kafka);
        return true;
    }
}

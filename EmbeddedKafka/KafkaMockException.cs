namespace EmbeddedKafka;

/// <summary>A librdkafka mock-cluster call failed; <see cref="ErrorCode"/> is librdkafka's rd_kafka_resp_err_t.</summary>
public sealed class KafkaMockException(string message, int errorCode) : Exception(message)
{
    /// <summary>
    /// librdkafka's error code: negative for local errors, otherwise the Kafka protocol error code
    /// (the same numbers as Confluent.Kafka's <c>ErrorCode</c>); 0 when the failing call reports no code.
    /// </summary>
    public int ErrorCode { get; } = errorCode;
}

using Confluent.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>Producer settings, bound from <c>Aspire:Confluent:Kafka:Producer</c> as Aspire.Confluent.Kafka does.</summary>
public sealed class KafkaProducerSettings
{
    public string? ConnectionString { get; set; }
    public ProducerConfig Config { get; set; } = new();
    public bool DisableHealthChecks { get; set; }
}

/// <summary>Consumer settings, bound from <c>Aspire:Confluent:Kafka:Consumer:{key}</c>.</summary>
public sealed class KafkaConsumerSettings
{
    public string? ConnectionString { get; set; }
    public ConsumerConfig Config { get; set; } = new();
}

using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Kafka;

/// <summary>
/// The broker's security, given once in <c>Aspire:Confluent:Kafka:Config</c>, reaches every client's resolved config:
/// the producer's (which its health check shares) and each keyed consumer's (from which the loops that build their own
/// consumer, ChangesListener and ConcurrentConsumer, build it).
/// </summary>
public sealed class KafkaClientExtensionsTests
{
    private const string Shared = KafkaClientExtensions.SharedConfigSection;
    private const string UnusedBootstrapServers = "127.0.0.1:9";

    private static readonly (string Key, string Value)[] SaslScramOverTls =
    [
        ($"{Shared}:security.protocol", "SASL_SSL"),
        ($"{Shared}:sasl.mechanism", "SCRAM-SHA-512"),
        ($"{Shared}:sasl.username", "taskworker"),
        ($"{Shared}:sasl.password", "s3cret"),
        ($"{Shared}:ssl.ca.location", "/etc/kafka/ca.pem"),
    ];

    [Fact]
    public void AddKafkaProducer_SharedSecuritySettings_ProducerConfigHasThem()
    {
        var builder = KafkaClients.Builder(UnusedBootstrapServers, SaslScramOverTls);
        builder.AddKafkaProducer<byte[]?, byte[]>(KafkaClients.ConnectionName);

        var config = builder.Build().Services.GetRequiredService<ProducerConfig>();

        AssertSaslScramOverTls(config, "taskworker");
        // The shared section adds to the producer's defaults rather than replacing them.
        Assert.True(config.EnableIdempotence);
    }

    [Fact]
    public void AddKeyedKafkaConsumer_SharedSecuritySettings_EveryConsumerConfigHasThem()
    {
        var builder = KafkaClients.Builder(UnusedBootstrapServers, SaslScramOverTls);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>("work", KafkaClients.ConnectionName, settings => settings.Config.GroupId = "work");
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>("changes", KafkaClients.ConnectionName, settings => settings.Config.GroupId = "changes");

        var services = builder.Build().Services;

        foreach (var key in new[] { "work", "changes" })
        {
            AssertSaslScramOverTls(services.GetRequiredKeyedService<ConsumerConfig>(key), "taskworker");
        }
    }

    [Theory]
    [InlineData("sasl.username")]
    [InlineData("SaslUsername")]
    public void AddKeyedKafkaConsumer_OwnSectionSetsASharedSetting_OwnValueWins(string usernameKey)
    {
        var builder = KafkaClients.Builder(UnusedBootstrapServers,
            [.. SaslScramOverTls, ($"Aspire:Confluent:Kafka:Consumer:work:Config:{usernameKey}", "taskworker-work")]);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>("work", KafkaClients.ConnectionName, settings => settings.Config.GroupId = "work");

        var config = builder.Build().Services.GetRequiredKeyedService<ConsumerConfig>("work");

        AssertSaslScramOverTls(config, "taskworker-work");
    }

    [Fact]
    public void AddKafkaProducer_SharedSettingsInTypedNames_ProducerConfigHasThem()
    {
        var builder = KafkaClients.Builder(UnusedBootstrapServers,
            ($"{Shared}:SecurityProtocol", "SaslSsl"),
            ($"{Shared}:SaslMechanism", "ScramSha512"),
            ($"{Shared}:SaslUsername", "taskworker"),
            ($"{Shared}:SaslPassword", "s3cret"),
            ($"{Shared}:SslCaLocation", "/etc/kafka/ca.pem"));
        builder.AddKafkaProducer<byte[]?, byte[]>(KafkaClients.ConnectionName);

        var config = builder.Build().Services.GetRequiredService<ProducerConfig>();

        AssertSaslScramOverTls(config, "taskworker");
    }

    /// <summary>
    /// What librdkafka is handed, by its names: its values are case-insensitive, and Confluent's typed getters cannot
    /// read them back in librdkafka's own spelling (SASL_SSL).
    /// </summary>
    private static void AssertSaslScramOverTls(ClientConfig config, string expectedUsername)
    {
        Assert.Equal("sasl_ssl", config.Get("security.protocol"), ignoreCase: true);
        Assert.Equal("scram-sha-512", config.Get("sasl.mechanism"), ignoreCase: true);
        Assert.Equal(expectedUsername, config.Get("sasl.username"));
        Assert.Equal("s3cret", config.Get("sasl.password"));
        Assert.Equal("/etc/kafka/ca.pem", config.Get("ssl.ca.location"));
    }
}

using EmbeddedKafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Kafka;

/// <summary>
/// The health check over a real socket, against the embedded broker (librdkafka's mock cluster), which speaks plaintext
/// only: it has no SaslHandshake or SaslAuthenticate handler and no TLS. A client that is told to authenticate therefore
/// never gets a connection up there, which shows the shared security settings reach the connection the check uses.
/// </summary>
public sealed class KafkaHealthCheckTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = KafkaMockCluster.Start();

    [Fact]
    public async Task CheckHealthAsync_PlaintextClientAndBroker_IsHealthy()
    {
        var result = await CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_SharedSettingsAskForSaslTheBrokerLacks_IsUnhealthy()
    {
        var result = await CheckHealthAsync(
            ($"{KafkaClientExtensions.SharedConfigSection}:security.protocol", "SASL_PLAINTEXT"),
            ($"{KafkaClientExtensions.SharedConfigSection}:sasl.mechanism", "SCRAM-SHA-512"),
            ($"{KafkaClientExtensions.SharedConfigSection}:sasl.username", "taskapi"),
            ($"{KafkaClientExtensions.SharedConfigSection}:sasl.password", "s3cret"));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    public void Dispose() => _cluster.Dispose();

    private async Task<HealthCheckResult> CheckHealthAsync(params (string Key, string Value)[] settings)
    {
        var builder = KafkaClients.Builder(_cluster.BootstrapServers, settings);
        builder.AddKafkaProducer<byte[]?, byte[]>(KafkaClients.ConnectionName);
        using var host = builder.Build();
        var check = host.Services.GetRequiredService<KafkaHealthCheck>();
        return await check.CheckHealthAsync(new HealthCheckContext());
    }
}

using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Healthy when the cluster answers a metadata request.</summary>
public sealed class KafkaHealthCheck(string bootstrapServers) : IHealthCheck, IDisposable
{
    private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
        .SetLogHandler((_, _) => { })
        .Build();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            try
            {
                var metadata = _admin.GetMetadata(TimeSpan.FromSeconds(2));
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("No Kafka broker is reachable.");
            }
            catch (KafkaException e)
            {
                return HealthCheckResult.Unhealthy("Kafka did not answer a metadata request.", e);
            }
        }, cancellationToken);

    public void Dispose() => _admin.Dispose();
}

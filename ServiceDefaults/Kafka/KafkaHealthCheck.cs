using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Healthy when the cluster answers a metadata request over <paramref name="clientHandle"/>'s connections (the service's
/// producer): the same bootstrap servers, security protocol and credentials as the service's clients, so a broker
/// that refuses them makes the service unhealthy rather than a separate client of its own succeeding.
/// </summary>
public sealed class KafkaHealthCheck(Handle clientHandle) : IHealthCheck, IDisposable
{
    private readonly IAdminClient _admin = new DependentAdminClientBuilder(clientHandle).Build();

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

    // Releases only this view of the client; the producer it belongs to is disposed by its own owner.
    public void Dispose() => _admin.Dispose();
}

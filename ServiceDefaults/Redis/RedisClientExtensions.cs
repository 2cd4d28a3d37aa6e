using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Settings read from <c>Aspire:StackExchange:Redis</c>, as Aspire.StackExchange.Redis does.</summary>
public sealed class StackExchangeRedisSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
}

/// <summary>
/// Mirrors <c>AddRedisClient</c> of Aspire.StackExchange.Redis (which does not restore here): a singleton
/// <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{name}</c> and a PING health check.
/// StackExchange.Redis 1.2.6 is the version whose dependencies restore on the build machines.
/// </summary>
public static class RedisClientExtensions
{
    private const string SettingsSection = "Aspire:StackExchange:Redis";

    public static void AddRedisClient(this IHostApplicationBuilder builder, string connectionName, Action<StackExchangeRedisSettings>? configureSettings = null)
    {
        var settings = new StackExchangeRedisSettings();
        builder.Configuration.GetSection(SettingsSection).Bind(settings);
        settings.ConnectionString = builder.Configuration.GetConnectionString(connectionName) ?? settings.ConnectionString;
        configureSettings?.Invoke(settings);
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing. Set 'ConnectionStrings:{connectionName}' (environment variable " +
                $"ConnectionStrings__{connectionName}), e.g. 127.0.0.1:6379, or 'ConnectionString' in the '{SettingsSection}' section.");
        }

        var options = ConfigurationOptions.Parse(settings.ConnectionString);
        // Start even while Redis is down and keep reconnecting, as Aspire configures it.
        options.AbortOnConnectFail = false;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"Redis.{connectionName}",
                services => new RedisHealthCheck(services.GetRequiredService<IConnectionMultiplexer>()),
                failureStatus: null,
                tags: null));
        }
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (RedisException e)
            {
                return HealthCheckResult.Unhealthy("Redis did not answer PING.", e);
            }
        }
    }
}

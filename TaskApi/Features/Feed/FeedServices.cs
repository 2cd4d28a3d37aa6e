using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskApi.Features.Feed.Streaming;

namespace TaskApi.Features.Feed;

/// <summary>The in-app feed: end users' tokens, the <c>/me/notifications</c> routes' stream subscriptions and the NOTIFY listener.</summary>
public static class FeedServices
{
    public static IHostApplicationBuilder AddFeed(this IHostApplicationBuilder builder)
    {
        builder.AddUserTokens();
        builder.Services.AddOptions<FeedOptions>()
            .Bind(builder.Configuration.GetSection(FeedOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<FeedSubscriptions>();
        builder.Services.AddSingleton<FeedListener>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FeedListener>());
        builder.Services.AddHealthChecks().AddCheck<ListenerHealthCheck>("feed-listener");
        return builder;
    }

    /// <summary>Degraded while the feed's streams on this instance are not woken by new notifications (they read on only at each heartbeat).</summary>
    private sealed class ListenerHealthCheck(FeedListener listener) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(listener.Listening
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("Not listening for feed notices: open streams see new notifications only at their heartbeats."));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service shares, in the shape of the .NET Aspire ServiceDefaults template:
/// OpenTelemetry (traces, metrics, logs), health checks and their endpoints.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Our own ActivitySources and Meters are named "Tasks.*" so they are collected without registration.</summary>
    public const string TelemetryPrefix = "Tasks.";

    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName));
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        // OpenTelemetry.Extensions.Hosting (services.AddOpenTelemetry()) does not restore on the build
        // machines, so the SDK is created here and owned by the container: it lives as long as the
        // host and is disposed (flushing pending telemetry) when the host stops.
        builder.Services.AddSingleton(_ => OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(resource => resource.AddService(serviceName));
            otel.WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, TelemetryPrefix + "*")
                // The framework's own sources: the instrumentation packages are not available here.
                .AddSource("Microsoft.AspNetCore", "System.Net.Http", "Npgsql"));
            otel.WithMetrics(metrics => metrics
                .AddMeter(TelemetryPrefix + "*")
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http",
                    "System.Runtime", "Npgsql", "Microsoft.EntityFrameworkCore"));
            if (exportOtlp)
            {
                otel.WithTracing(tracing => tracing.AddOtlpExporter());
                otel.WithMetrics(metrics => metrics.AddOtlpExporter());
            }
        }));
        builder.Services.AddHostedService<OpenTelemetryActivator>();

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps /health (readiness: every check, dependencies included) and /alive (liveness: the process answers).
    /// Mapped in every environment because the AppHost and deployments probe them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag)
        });
        return app;
    }

    /// <summary>Creates the OpenTelemetry SDK when the host starts, so collection begins before the first request.</summary>
    private sealed class OpenTelemetryActivator(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(sdk);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

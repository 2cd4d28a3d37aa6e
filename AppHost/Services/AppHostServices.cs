using AppHost.Startup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AppHost.Services;

/// <summary>What the AppHost itself runs beside Aspire while the system runs (never while publishing the manifest).</summary>
public static class AppHostServices
{
    /// <summary>Starts again, with backoff, every process of the model that exits while nobody asked it to.</summary>
    public static IDistributedApplicationBuilder RestartCrashedProcesses(this IDistributedApplicationBuilder builder) =>
        builder.WhileRunning<CrashedProcessRestarter>();

    /// <summary>Has <see cref="RestartCrashedProcesses"/> restart this process too, which it does not know as a server of ours.</summary>
    public static IResourceBuilder<ExecutableResource> WithRestartOnCrash(this IResourceBuilder<ExecutableResource> resource) =>
        resource.WithAnnotation(new RestartOnCrashAnnotation());

    /// <summary>On Ctrl+C or SIGTERM, stops the services and waits for them before the servers they use go away.</summary>
    public static IDistributedApplicationBuilder StopServicesFirst(this IDistributedApplicationBuilder builder) =>
        builder.WhileRunning<ServicesStopFirst>();

    /// <summary>
    /// Once every resource is up, says in a few lines where the API, Swagger, the identity service (with the first admin's
    /// login, password and a command that gets a token), the SMS emulator's messages, the emails smtp4dev received, Kafka
    /// and the dashboard are.
    /// </summary>
    public static IDistributedApplicationBuilder ReportWhereThingsAre(this IDistributedApplicationBuilder builder) =>
        builder.WhileRunning<StartupSummary>();

    private static IDistributedApplicationBuilder WhileRunning<TService>(this IDistributedApplicationBuilder builder)
        where TService : class, IHostedService
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddHostedService<TService>();
        }
        return builder;
    }
}

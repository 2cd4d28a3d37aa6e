using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using TaskWorker.Work;

namespace TaskWorker.Extensions;

public static class Extensions
{
    // Cancelling abandoned runs and closing the consumer after the grace period take a few seconds at most.
    private static readonly TimeSpan ShutdownAllowance = TimeSpan.FromSeconds(10);

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The host gives its services HostOptions.ShutdownTimeout (30 s by default) to stop; the grace period must fit.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<WorkerOptions>>((host, worker) =>
            {
                var needed = worker.Value.ShutdownGrace + ShutdownAllowance;
                if (host.ShutdownTimeout < needed)
                {
                    host.ShutdownTimeout = needed;
                }
            });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerMetrics>();

        builder.AddKafkaProducer<byte[]?, byte[]>(ResourceNames.Kafka);
        builder.AddTaskWorkConsumerConfig();

        builder.Services.AddSingleton<TaskStatusPublisher>();
        builder.Services.AddSingleton<EmulatedTaskRunner>();
        builder.Services.AddSingleton<WorkItemHandler>();
        builder.Services.AddHostedService<TaskWorkConsumer>();
    }

    /// <summary>
    /// Registers the consumer configuration of tasks.work under <see cref="TaskWorkConsumer.ServiceKey"/>: ServiceDefaults'
    /// defaults, the <c>Aspire:Confluent:Kafka:Consumer:taskworker</c> section and the connection string.
    /// </summary>
    /// <remarks>
    /// ServiceDefaults' <c>AddKeyedKafkaConsumer</c> builds its consumer without rebalance handlers, and the worker needs
    /// them to track offsets per assignment; so it takes the settings that call resolves and builds the consumer itself.
    /// </remarks>
    private static void AddTaskWorkConsumerConfig(this IHostApplicationBuilder builder)
    {
        ConsumerConfig? config = null;
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskWorkConsumer.ServiceKey, ResourceNames.Kafka, settings =>
        {
            settings.Config.GroupId = TaskWorkConsumer.GroupId;
            config = settings.Config;
        });
        builder.Services.AddKeyedSingleton(TaskWorkConsumer.ServiceKey, config!);
    }
}

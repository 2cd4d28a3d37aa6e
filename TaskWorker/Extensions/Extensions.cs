using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using TaskWorker.Messaging;
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
        // The worker builds its consumer from the resolved config registered under the same key.
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskWorkConsumer.ServiceKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = TaskWorkConsumer.GroupId);

        builder.Services.AddSingleton<TracedPublisher>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<TaskStatusPublisher>();
        builder.Services.AddSingleton<EmulatedTaskRunner>();
        builder.Services.AddSingleton<WorkItemHandler>();
        builder.Services.AddHostedService<TaskWorkConsumer>();
    }
}

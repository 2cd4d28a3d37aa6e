using Scheduler.Intake;
using Scheduler.Release;
using Scheduler.Storage;
using Tasks.Shared;

namespace Scheduler.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SchedulerOptions.SectionName);
        builder.Services.AddOptions<SchedulerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var leaseDuration = (section.Get<SchedulerOptions>() ?? new SchedulerOptions()).LeaseDuration;

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SchedulerMetrics>();

        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddSingleton<ScheduleStore>();

        // A release must end (delivered or failed) well within its lease, or another instance could claim the entry
        // and release it too while this one still might: Kafka's delivery timeout is half the lease.
        builder.AddKafkaProducer<byte[]?, byte[]>(ResourceNames.Kafka,
            settings => settings.Config.MessageTimeoutMs = (int)(leaseDuration / 2).TotalMilliseconds);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(ScheduleRequestsConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = ScheduleRequestsConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(ScheduleCancelsConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = ScheduleCancelsConsumer.ConsumerGroup);

        builder.Services.AddHostedService<ScheduleRequestsConsumer>();
        builder.Services.AddHostedService<ScheduleCancelsConsumer>();
        builder.Services.AddHostedService<Releaser>();
    }
}

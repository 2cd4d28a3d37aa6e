using TaskApi.Features.Audit.Recording;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Campaigns.Delivery;
using TaskApi.Features.Campaigns.Sending;
using TaskApi.Features.DeadLetters.Storing;
using TaskApi.Features.Feed;
using TaskApi.Features.Mailings;
using TaskApi.Features.Mailings.Delivery;
using TaskApi.Features.Mailings.Planning;
using TaskApi.Features.Notifications;
using TaskApi.Features.Notifications.Delivery;
using TaskApi.Features.Notifications.Dispatch;
using TaskApi.Features.Overview;
using TaskApi.Features.Overview.GetOverview;
using TaskApi.Features.Reports;
using TaskApi.Features.Reports.Sending;
using TaskApi.Features.Schedules.Firing;
using TaskApi.Features.Tasks;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Features.Tasks.Intake;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Features.Tasks.StatusUpdates;
using TaskApi.Features.Tracking;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;
using Microsoft.Extensions.Options;
using Tasks.ApiDefaults;
using Tasks.EmailTemplates;
using Tasks.Shared;

namespace TaskApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTokenRedaction();
        builder.AddNpgsqlDbContext<TasksDbContext>(ResourceNames.TasksDatabase,
            settings => settings.ConnectionString = ConnectionDefaults.Apply(settings.ConnectionString));
        builder.Services.AddHostedService<DatabaseMigrator<TasksDbContext>>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TaskMetrics>();

        // Kafka: one producer for the outbox relay and dead letters; one consumer group per consuming loop.
        builder.AddKafkaProducer<byte[]?, byte[]>(ResourceNames.Kafka);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskRequestsConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = TaskRequestsConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskStatusConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = TaskStatusConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(MailingDueConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = MailingDueConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(MessageStatusConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = MessageStatusConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(CampaignDueConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = CampaignDueConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(EmailStatusConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = EmailStatusConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(ReportDueConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = ReportDueConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(ScheduleDueConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = ScheduleDueConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(NotificationDueConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = NotificationDueConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(NotificationStatusConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = NotificationStatusConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(DeadLetterConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = DeadLetterConsumer.ConsumerGroup);

        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.Configure<BackoffOptions>(builder.Configuration.GetSection("Retries"));
        builder.Services.AddOptions<ReconciliationOptions>().Bind(builder.Configuration.GetSection(ReconciliationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<GroupCommitOptions>(builder.Configuration.GetSection(GroupCommitOptions.SectionName));
        builder.Services.AddHostedService<ScheduleReconciler>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddSingleton<GroupCommit>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GroupCommit>());
        // The intake consumer validates each message with the endpoint's own rules.
        builder.Services.AddSingleton<CreateTaskValidator>();
        builder.Services.AddHostedService<TaskRequestsConsumer>();
        builder.Services.AddHostedService<TaskStatusConsumer>();

        // SMS mailings: starts and ends through mailings.due, the workers' reports through messages.status.
        builder.Services.Configure<MailingOptions>(builder.Configuration.GetSection(MailingOptions.SectionName));
        builder.Services.AddSingleton<MailingMetrics>();
        builder.Services.AddScoped<MailingStart>();
        builder.Services.AddScoped<MailingEnd>();
        builder.Services.AddHostedService<MailingDueConsumer>();
        builder.Services.AddHostedService<MessageStatusConsumer>();
        builder.Services.AddHostedService<MailingReconciler>();

        // Email campaigns: sending through campaigns.due, the workers' reports through emails.status, opens and clicks
        // batched; the daily report through reports.due.
        builder.Services.AddOptions<CampaignOptions>().Bind(builder.Configuration.GetSection(CampaignOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ReportOptions>().Bind(builder.Configuration.GetSection(ReportOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CampaignMetrics>();
        builder.Services.AddScoped<CampaignStart>();
        builder.Services.AddHostedService<CampaignDueConsumer>();
        builder.Services.AddHostedService<EmailStatusConsumer>();
        builder.Services.AddHostedService<CampaignReconciler>();
        builder.Services.AddSingleton<TrackingRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrackingRecorder>());
        builder.Services.AddHostedService<ReportDueConsumer>();
        builder.Services.AddHostedService<ReportScheduler>();

        // Recurring schedules: each occurrence through schedules.due (the Scheduler), missed ones by the reconciler.
        builder.Services.AddSingleton<ScheduleMetrics>();
        builder.Services.AddSingleton<ScheduleFiring>();
        builder.Services.AddHostedService<ScheduleDueConsumer>();
        builder.Services.AddHostedService<OccurrenceReconciler>();

        // Notifications: created and dispatched with all their deliveries by POST /notifications; later deliveries through
        // notifications.due (the Scheduler), the workers' reports through notifications.status.
        builder.Services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection(NotificationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<NotificationMetrics>();
        builder.Services.AddSingleton<NotificationDispatch>();
        builder.Services.AddHostedService<NotificationDueConsumer>();
        builder.Services.AddHostedService<NotificationStatusConsumer>();
        // The console's overview: the counts by status over every task and delivery, shared by the requests of up to 2 s.
        builder.Services.AddOptions<OverviewOptions>().Bind(builder.Configuration.GetSection(OverviewOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StatusCounts>();
        // Dead letters: every record of the *.dlq topics kept for operators to read, replay or discard.
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddHostedService<DeadLetterConsumer>();
        // Email: the public address and key of tracking links and unsubscribe tokens (TaskWorker binds the same section).
        if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration[$"{TrackingOptions.SectionName}:{nameof(TrackingOptions.Key)}"]))
        {
            // A Development run outside the AppHost (which generates and keeps one) signs with a key of its own, new at
            // each start; no key is committed, so nobody can forge this run's unsubscribe tokens from the repository.
            builder.Configuration[$"{TrackingOptions.SectionName}:{nameof(TrackingOptions.Key)}"] =
                Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        }
        builder.Services.AddOptions<TrackingOptions>()
            .Bind(builder.Configuration.GetSection(TrackingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new TrackingTokens(services.GetRequiredService<IOptions<TrackingOptions>>().Value.KeyBytes));
        builder.Services.AddSingleton(services => new EmailContentSignatures(services.GetRequiredService<IOptions<TrackingOptions>>().Value.KeyBytes));

        builder.AddHttpApiDefaults();
        builder.AddTokenValidation();
        // The in-app feed: end users' own tokens, their /me routes, the streams and the NOTIFY listener.
        builder.AddFeed();
        // The audit log: TaskApi's writes, and the identity service's events copied in.
        builder.Services.AddSingleton<AuditRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditRecorder>());
        builder.Services.AddHostedService<IdentityAuditCopy>();
        builder.Services.AddTasksOpenApi(builder.Configuration);
    }

    /// <summary>The HTTP API: problem details for every 4xx, the endpoints, the OpenAPI document and Swagger UI.</summary>
    public static WebApplication UseTasksApi(this WebApplication app)
    {
        app.UseHttpApiDefaults(beforeAuthentication: api => api.UseTasksOpenApi());
        app.UseWriteAudit();
        return app;
    }
}

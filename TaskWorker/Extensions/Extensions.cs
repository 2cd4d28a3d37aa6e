using Confluent.Kafka;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tasks.EmailTemplates;
using Tasks.Shared;
using TaskWorker.Delivery;
using TaskWorker.Email;
using TaskWorker.Messaging;
using TaskWorker.Notifications;
using TaskWorker.Sms;
using TaskWorker.Work;

namespace TaskWorker.Extensions;

public static class Extensions
{
    // Cancelling abandoned runs and closing the consumer after the grace period take a few seconds at most.
    private static readonly TimeSpan ShutdownAllowance = TimeSpan.FromSeconds(10);

    // An HttpClient kept by a singleton still sees DNS changes: its connections are replaced this often.
    private static readonly TimeSpan GatewayConnectionLifetime = TimeSpan.FromMinutes(2);

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The host gives its services HostOptions.ShutdownTimeout (30 s by default) to stop; the grace period must fit.
        // The consumers stop side by side, so one grace period covers the task runs and the SMS and email sends together.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<WorkerOptions>>((host, worker) =>
            {
                host.ServicesStopConcurrently = true;
                var needed = worker.Value.ShutdownGrace + ShutdownAllowance;
                if (host.ShutdownTimeout < needed)
                {
                    host.ShutdownTimeout = needed;
                }
            });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerMetrics>();

        builder.AddKafkaProducer<byte[]?, byte[]>(ResourceNames.Kafka);
        builder.Services.AddSingleton<TracedPublisher>();
        builder.Services.AddSingleton<DeadLetters>();

        builder.AddTaskRuns();
        builder.AddSmsSending();
        builder.AddEmailSending();
        builder.AddNotificationSending();
    }

    private static void AddTaskRuns(this IHostApplicationBuilder builder)
    {
        // The worker builds its consumer from the resolved config registered under the same key.
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskWorkConsumer.ServiceKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = TaskWorkConsumer.GroupId);

        builder.Services.AddSingleton<TaskStatusPublisher>();
        builder.Services.AddSingleton<EmulatedTaskRunner>();
        builder.Services.AddSingleton<WorkItemHandler>();
        builder.Services.AddHostedService<TaskWorkConsumer>();
    }

    /// <summary>
    /// SMS sending from messages.send, only when <c>Sms:BaseUrl</c> is set: without it the worker needs no Redis for SMS
    /// (<c>ConnectionStrings:redis</c>), which SMS sending does (sent markers, the shared rate limit).
    /// </summary>
    private static void AddSmsSending(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SmsOptions.SectionName);
        builder.Services.AddOptions<SmsOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        if (section.Get<SmsOptions>() is not { IsEnabled: true })
        {
            return;
        }

        builder.AddDelivery(DeliveryChannels.Sms, "sms-gateway", services => services.GetRequiredService<IOptions<SmsOptions>>().Value.MaxPerSecond);
        builder.Services.AddHttpClient<SmsGatewayClient>((services, client) =>
                SmsGatewayClient.Configure(client, services.GetRequiredService<IOptions<SmsOptions>>().Value))
            .ForTheSmsProvider(services => services.GetRequiredService<IOptions<SmsOptions>>().Value.MaxConnections);
        builder.Services.AddSingleton(services => new SmsCalls(
            services.GetRequiredService<SmsGatewayClient>(), services.GetRequiredService<IOptions<SmsOptions>>().Value.MaxConnections));

        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(SmsSendConsumer.ServiceKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = SmsSendConsumer.GroupId);
        builder.AddChangesListener<KnownMailings, MailingChanged>(KnownMailings.ConsumerKey);

        builder.Services.AddSingleton<SmsMetrics>();
        builder.Services.AddSingleton<SmsSendHandler>();
        builder.Services.AddHostedService<SmsSendConsumer>();
    }

    /// <summary>
    /// Email sending from emails.send over SMTP, only when <c>Smtp:Host</c> is set; it needs Redis
    /// (<c>ConnectionStrings:redis</c>) for its sent markers and shared rate limit, and reads campaigns.changes.
    /// </summary>
    private static void AddEmailSending(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SmtpOptions.SectionName);
        builder.Services.AddOptions<SmtpOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        if (section.Get<SmtpOptions>() is not { IsEnabled: true })
        {
            return;
        }

        builder.AddDelivery(DeliveryChannels.Email, "smtp-server", services => services.GetRequiredService<IOptions<SmtpOptions>>().Value.MaxPerSecond);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(EmailSendConsumer.ServiceKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = EmailSendConsumer.GroupId);
        builder.AddChangesListener<KnownCampaigns, CampaignChanged>(KnownCampaigns.ConsumerKey);

        builder.Services.AddOptions<TrackingOptions>().BindConfiguration(TrackingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => new TrackingTokens(services.GetRequiredService<IOptions<TrackingOptions>>().Value.KeyBytes));
        builder.Services.AddSingleton(services => new EmailContentSignatures(services.GetRequiredService<IOptions<TrackingOptions>>().Value.KeyBytes));
        builder.Services.AddSingleton<EmailMetrics>();
        builder.Services.AddSingleton<SmtpConnectionPool>();
        builder.Services.AddSingleton<CampaignTemplates>();
        builder.Services.AddSingleton<EmailSendHandler>();
        builder.Services.AddHostedService<EmailSendConsumer>();
    }

    /// <summary>
    /// Notification deliveries from notifications.send and notifications.express, only when both SMS and email are sent
    /// (a worker without one would fail deliveries another could send): two consumers, each with its own in-flight budget;
    /// the express one also with its own SMS calls (an HttpClient of its own) and SMTP sessions, and first claim on the
    /// providers' rate limits.
    /// </summary>
    private static void AddNotificationSending(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>()
            .Bind(builder.Configuration.GetSection(NotificationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetSection(SmsOptions.SectionName).Get<SmsOptions>() is not { IsEnabled: true }
            || builder.Configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() is not { IsEnabled: true })
        {
            return;
        }

        builder.AddSendOnce(DeliveryChannels.Notification);
        builder.AddChangesListener<KnownNotifications, NotificationChanged>(KnownNotifications.ConsumerKey);
        builder.Services.AddSingleton<NotificationMetrics>();
        builder.Services.AddSingleton<NotificationReports>();

        const string express = NotificationLane.ExpressKey;
        builder.Services.AddHttpClient(express, (services, client) =>
                SmsGatewayClient.Configure(client, services.GetRequiredService<IOptions<SmsOptions>>().Value))
            .ForTheSmsProvider(services => NotificationsOf(services).ExpressSmsConnections);
        builder.Services.AddKeyedSingleton(express, (services, _) => new SmsCalls(
            ActivatorUtilities.CreateInstance<SmsGatewayClient>(services, services.GetRequiredService<IHttpClientFactory>().CreateClient(express)),
            NotificationsOf(services).ExpressSmsConnections));
        builder.Services.AddOptions<SmtpOptions>(express)
            .Bind(builder.Configuration.GetSection(SmtpOptions.SectionName))
            .Configure<IOptions<NotificationOptions>>((smtp, notifications) => smtp.MaxConnections = notifications.Value.ExpressSmtpConnections);
        builder.Services.AddKeyedSingleton(express, (services, _) => new SmtpConnectionPool(
            Options.Create(services.GetRequiredService<IOptionsMonitor<SmtpOptions>>().Get(express)),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<EmailMetrics>()));

        foreach (var isExpress in new[] { false, true })
        {
            var key = NotificationLane.KeyOf(isExpress);
            builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(key, ResourceNames.Kafka, settings => settings.Config.GroupId = key);
            builder.Services.AddKeyedSingleton(key, (services, _) => new NotificationLane(
                isExpress,
                isExpress ? services.GetRequiredKeyedService<SmsCalls>(key) : services.GetRequiredService<SmsCalls>(),
                isExpress ? services.GetRequiredKeyedService<SmtpConnectionPool>(key) : services.GetRequiredService<SmtpConnectionPool>()));
            builder.Services.AddKeyedSingleton(key, (services, _) =>
                ActivatorUtilities.CreateInstance<NotificationSendHandler>(services, services.GetRequiredKeyedService<NotificationLane>(key)));
            // Not AddHostedService: it registers one service per type, and both lanes are this type.
            builder.Services.AddSingleton<IHostedService>(services => new NotificationConsumer(
                services.GetRequiredKeyedService<NotificationLane>(key),
                services.GetRequiredKeyedService<ConsumerConfig>(key),
                services.GetRequiredKeyedService<NotificationSendHandler>(key),
                services.GetRequiredService<DeadLetters>(),
                new ConcurrencyLimits(
                    isExpress ? NotificationsOf(services).ExpressMaxInFlight : NotificationsOf(services).MaxInFlight,
                    services.GetRequiredService<IOptions<WorkerOptions>>().Value.ShutdownGrace),
                services.GetRequiredService<ILogger<NotificationConsumer>>()));
        }

        static NotificationOptions NotificationsOf(IServiceProvider services) => services.GetRequiredService<IOptions<NotificationOptions>>().Value;
    }

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers, below
    /// <summary>An HttpClient of the SMS provider's: one attempt per call, and at most <paramref name="maxConnections"/> sockets.</summary>
    private static void ForTheSmsProvider(this IHttpClientBuilder client, Func<IServiceProvider, int> maxConnections) =>
        client
            // ServiceDefaults gives every HttpClient Aspire's standard resilience handler; its retries would make more
            // than the one attempt per record TaskApi counts on, and hide a 429's Retry-After from it. The removal is
            // still marked experimental in Microsoft.Extensions.Http.Resilience 10.11 (EXTEXP0001); it is the library's
            // own way to undo ConfigureHttpClientDefaults' handler, and SmsGatewayClientTests see its effect.
            .RemoveAllResilienceHandlers()
            .UseSocketsHttpHandler((handler, services) =>
            {
                handler.PooledConnectionLifetime = GatewayConnectionLifetime;
                // Thousands of records in flight must not become thousands of sockets at the provider.
                handler.MaxConnectionsPerServer = maxConnections(services);
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
#pragma warning restore EXTEXP0001

    /// <summary>
    /// What a delivery channel needs beside its provider: its <see cref="AddSendOnce">sent markers and send leases</see>
    /// and its rate limit over every instance, all under the channel's key.
    /// </summary>
    /// <param name="maxPerSecond">The limit from the channel's validated options, so an invalid one fails as a setting.</param>
    private static void AddDelivery(
        this IHostApplicationBuilder builder, string channel, string rateLimitName, Func<IServiceProvider, int> maxPerSecond)
    {
        builder.AddSendOnce(channel);
        builder.Services.AddKeyedSingleton(channel, (services, _) => new SharedRateLimiter(
            rateLimitName, maxPerSecond(services), services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<SharedRateLimiter>>()));
    }

    /// <summary>
    /// Redis (registered once, whichever channel comes first) and the channel's sent markers and send leases over every
    /// instance, under the channel's key.
    /// </summary>
    private static void AddSendOnce(this IHostApplicationBuilder builder, string channel)
    {
        if (!builder.Services.Any(service => service.ServiceType == typeof(IConnectionMultiplexer)))
        {
            builder.AddRedisClient(ResourceNames.Redis);
        }
        builder.Services.AddKeyedSingleton(channel, (services, _) => new SentMarkers(
            channel, services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<SentMarkers>>()));
        builder.Services.AddKeyedSingleton(channel, (services, _) => new SendLeases(
            channel, services.GetRequiredKeyedService<SentMarkers>(channel), services.GetRequiredService<IConnectionMultiplexer>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<SendLeases>>()));
    }

    /// <summary>Reads a compacted changes topic into <typeparamref name="TKnown"/>, with its own consumer (never a group member).</summary>
    private static void AddChangesListener<TKnown, TChange>(this IHostApplicationBuilder builder, string consumerKey)
        where TKnown : LatestChanges<TChange>
        where TChange : class
    {
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(consumerKey, ResourceNames.Kafka, settings =>
        {
            settings.Config.GroupId = consumerKey;
            settings.Config.EnableAutoCommit = false;
            settings.Config.EnablePartitionEof = true;
        });
        builder.Services.AddSingleton<TKnown>();
        builder.Services.AddHostedService(services => new ChangesListener<TChange>(
            services.GetRequiredKeyedService<ConsumerConfig>(consumerKey), services.GetRequiredService<TKnown>(),
            services.GetRequiredService<ILogger<ChangesListener<TChange>>>()));
    }
}

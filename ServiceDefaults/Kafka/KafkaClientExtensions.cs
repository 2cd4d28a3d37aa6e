using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Kafka clients from the connection string <c>ConnectionStrings:{name}</c> (the bootstrap servers), in the
/// shape of Aspire.Confluent.Kafka's <c>AddKafkaProducer</c>/<c>AddKafkaConsumer</c> (which do not restore here).
/// Defaults: an idempotent producer with acks=all; consumers that store offsets only when told to
/// (<c>StoreOffset</c> after the handler succeeded) and commit what was stored, cooperative-sticky assignment.
/// Every client gets <see cref="SharedConfigSection"/> first (the broker's security, given once), then its own section.
/// </summary>
public static class KafkaClientExtensions
{
    /// <summary>Where every Kafka client setting lives, as in Aspire.Confluent.Kafka.</summary>
    public const string SettingsSection = "Aspire:Confluent:Kafka";

    /// <summary>
    /// librdkafka settings for every client of the process, producer, consumers and health check alike, applied before
    /// the client's own section: the broker's security (<c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>) is one
    /// set of credentials per service, not one per client. Not in Aspire.Confluent.Kafka, which has no common section.
    /// </summary>
    public const string SharedConfigSection = SettingsSection + ":Config";

    private const string ProducerSection = SettingsSection + ":Producer";
    private const string ConsumerSection = SettingsSection + ":Consumer";

    // A connection that goes silent (a partitioned or hung broker) is only given up after this; librdkafka's
    // default (60 s, unchanged in 2.16) leaves the outbox and the consumers stalled for a minute after the broker is back.
    private const int SocketTimeoutMs = 10_000;

    /// <summary>
    /// The process's producer, with settings from <c>Aspire:Confluent:Kafka:Producer</c>, and a health check over its
    /// connections. The resolved <see cref="ProducerConfig"/> is registered too, as a consumer's is.
    /// </summary>
    public static void AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null)
    {
        Librdkafka.UseBundledLibrary();
        var settings = new KafkaProducerSettings
        {
            Config = new ProducerConfig
            {
                EnableIdempotence = true,
                Acks = Acks.All,
                LingerMs = 5,
                // Outbox and workers retry themselves; a bounded timeout returns failures to them.
                MessageTimeoutMs = 30_000,
                ReconnectBackoffMaxMs = 1_000,
                SocketTimeoutMs = SocketTimeoutMs,
                // Our largest record (a campaign's content) fits with room to spare; the broker and every topic take as much.
                MessageMaxBytes = KafkaLimits.MaxRecordBytes,
            },
        };
        BindSettings(builder.Configuration, ProducerSection, settings, settings.Config);
        settings.ConnectionString = ConnectionString(builder, connectionName, settings.ConnectionString, ProducerSection);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers ??= settings.ConnectionString;

        builder.Services.AddSingleton(settings.Config);
        builder.Services.AddSingleton(services => new ProducerBuilder<TKey, TValue>(services.GetRequiredService<ProducerConfig>())
            .WithLogging(services.GetRequiredService<ILoggerFactory>().CreateLogger($"Kafka.Producer.{connectionName}"))
            .Build());
        if (typeof(TKey) == typeof(byte[]) && typeof(TValue) == typeof(byte[]))
        {
            builder.Services.AddSingleton<DeadLetterProducer>();
        }

        if (!settings.DisableHealthChecks)
        {
            // The producer's own connections answer the check, so it fails when the broker refuses the service's
            // credentials, not only when it is down. Created by the container (not handed in), so the container
            // disposes it, before the producer it depends on.
            builder.Services.AddSingleton(services => new KafkaHealthCheck(services.GetRequiredService<IProducer<TKey, TValue>>().Handle));
            builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>($"Kafka.{connectionName}");
        }
    }

    /// <summary>
    /// A consumer registered under <paramref name="serviceKey"/>, so one process can run several loops with
    /// different consumer groups over the same connection. Settings come from <c>Aspire:Confluent:Kafka:Consumer:{serviceKey}</c>.
    /// The resolved <see cref="ConsumerConfig"/> is registered under the same key, for a loop that must build its
    /// consumer itself because its rebalance handlers belong to the loop (use <see cref="WithLogging{TKey, TValue}(ConsumerBuilder{TKey, TValue}, ILogger)"/>).
    /// </summary>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string serviceKey,
        string connectionName,
        Action<KafkaConsumerSettings> configureSettings)
    {
        Librdkafka.UseBundledLibrary();
        var settings = new KafkaConsumerSettings
        {
            Config = new ConsumerConfig
            {
                EnableAutoCommit = true,
                EnableAutoOffsetStore = false,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                // Incremental rebalancing: a member joining or leaving moves only the partitions that change owner, so
                // a worker keeps its other partitions' runs (an eager assignor revokes everything on every change).
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
                // librdkafka's mock cluster (our embedded broker) answers a fetch that finds nothing only after the
                // full wait, even when data arrives meanwhile (still so in 2.16: 464 ms median produce-to-consume at
                // the default 500 ms, 4.6 ms at 10 ms), so this wait is what an idle hop adds to a message, ~25 ms on
                // average here. It is also how often an idle consumer asks again: the README's system at rest (40
                // consumers) kept 0.81 of a core busy at 10 ms, 0.48 at 100 ms; at 50 ms an idle consumer asks a fifth
                // as often as at 10 ms. A real broker answers as soon as data arrives, so there the wait only sets how
                // often an idle consumer asks.
                FetchWaitMaxMs = 50,
                // A dead member's partitions move after the session timeout: 10 s rather than 45 s.
                SessionTimeoutMs = 10_000,
                HeartbeatIntervalMs = 1_000,
                ReconnectBackoffMaxMs = 1_000,
                SocketTimeoutMs = SocketTimeoutMs,
                // One fetch per partition holds a whole record of the largest size we produce (librdkafka's default,
                // 1 MiB, would fall back to fetching it alone); fetch.max.bytes (50 MiB) and receive.message.max.bytes
                // (100 MB) are larger by default.
                MaxPartitionFetchBytes = KafkaLimits.MaxRecordBytes,
            },
        };
        var section = $"{ConsumerSection}:{serviceKey}";
        BindSettings(builder.Configuration, section, settings, settings.Config);
        settings.ConnectionString = ConnectionString(builder, connectionName, settings.ConnectionString, section);
        configureSettings(settings);
        settings.Config.BootstrapServers ??= settings.ConnectionString;
        if (string.IsNullOrEmpty(settings.Config.GroupId))
        {
            throw new InvalidOperationException($"Kafka consumer '{serviceKey}' needs a GroupId.");
        }

        builder.Services.AddKeyedSingleton(serviceKey, settings.Config);
        builder.Services.AddKeyedSingleton(serviceKey, (services, _) => new ConsumerBuilder<TKey, TValue>(settings.Config)
            .WithLogging(services.GetRequiredService<ILoggerFactory>().CreateLogger($"Kafka.Consumer.{serviceKey}"))
            .Build());
    }

    /// <summary>Routes librdkafka's log lines and errors to <paramref name="logger"/>.</summary>
    public static ConsumerBuilder<TKey, TValue> WithLogging<TKey, TValue>(this ConsumerBuilder<TKey, TValue> builder, ILogger logger) =>
        builder
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .SetErrorHandler((_, error) => KafkaLog.Write(logger, error));

    /// <summary>Routes librdkafka's log lines and errors to <paramref name="logger"/>.</summary>
    public static ProducerBuilder<TKey, TValue> WithLogging<TKey, TValue>(this ProducerBuilder<TKey, TValue> builder, ILogger logger) =>
        builder
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .SetErrorHandler((_, error) => KafkaLog.Write(logger, error));

    /// <summary>
    /// Binds the client's own <paramref name="section"/> into <paramref name="settings"/>, and layers the settings of
    /// <paramref name="config"/>: its defaults, then <see cref="SharedConfigSection"/>, then the section's own <c>Config</c>,
    /// so a client's own value wins over the shared one.
    /// </summary>
    private static void BindSettings(IConfiguration configuration, string section, object settings, ClientConfig config)
    {
        var own = configuration.GetSection(section);
        // For ConnectionString and the like. The binder reads every property of Config too, and Confluent's typed getters
        // throw on some values in librdkafka's own spelling (security.protocol=SASL_SSL), so this runs while Config holds
        // only the defaults; the own Config values it binds are applied again over the shared ones below.
        own.Bind(settings);
        ApplyConfig(configuration.GetSection(SharedConfigSection), config);
        ApplyConfig(own.GetSection("Config"), config);
    }

    /// <summary>
    /// Sets a <c>Config</c> section's values on <paramref name="config"/>, typed properties (<c>Config:MessageTimeoutMs</c>)
    /// and librdkafka's own names (<c>Config:message.timeout.ms</c>) alike, as Aspire does: the binder alone only knows
    /// the typed ones. They are bound into an empty config and copied, for the binder's reading of every getter (above).
    /// </summary>
    private static void ApplyConfig(IConfigurationSection configSection, ClientConfig config)
    {
        var typed = (ClientConfig)Activator.CreateInstance(config.GetType())!;
        configSection.Bind(typed);
        foreach (var (name, value) in typed)
        {
            config.Set(name, value);
        }
        foreach (var property in configSection.GetChildren())
        {
            // librdkafka's names are lower case ("acks", "linger.ms"); typed property names were bound above.
            if (property.Value is not null && char.IsLower(property.Key[0]))
            {
                config.Set(property.Key, property.Value);
            }
        }
    }

    private static string ConnectionString(IHostApplicationBuilder builder, string connectionName, string? fromSettings, string section) =>
        builder.Configuration.GetConnectionString(connectionName) ?? fromSettings
        ?? throw new InvalidOperationException(
            $"ConnectionString is missing. Set 'ConnectionStrings:{connectionName}' (environment variable " +
            $"ConnectionStrings__{connectionName}) to the Kafka bootstrap servers, or 'ConnectionString' in the '{section}' section.");
}

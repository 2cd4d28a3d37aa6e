using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using TaskWorker.Messaging;
using TaskWorker.Work;

namespace TaskWorker.Sms;

/// <summary>
/// Consumes messages.send and handles every record concurrently, up to <see cref="SmsOptions.MaxInFlight"/> at once; a
/// stopping worker lets them finish for <see cref="WorkerOptions.ShutdownGrace"/>, as its task runs.
/// </summary>
internal sealed class SmsSendConsumer(
    [FromKeyedServices(SmsSendConsumer.ServiceKey)] ConsumerConfig consumerConfig,
    SmsSendHandler handler,
    DeadLetters deadLetters,
    IOptions<SmsOptions> sms,
    IOptions<WorkerOptions> worker,
    ILogger<SmsSendConsumer> logger)
    : ConcurrentConsumer(KafkaTopics.MessagesSend, KafkaTopics.MessagesSendDeadLetter, consumerConfig, handler, deadLetters,
        new ConcurrencyLimits(sms.Value.MaxInFlight, worker.Value.ShutdownGrace), logger)
{
    /// <summary>Key of the consumer's settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker-sms</c>) and resolved config.</summary>
    public const string ServiceKey = "taskworker-sms";
    public const string GroupId = "taskworker-sms";
}

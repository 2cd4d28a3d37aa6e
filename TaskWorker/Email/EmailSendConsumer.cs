using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using TaskWorker.Messaging;
using TaskWorker.Work;

namespace TaskWorker.Email;

/// <summary>
/// Consumes emails.send and handles every record concurrently, up to <see cref="SmtpOptions.MaxInFlight"/> at once (the
/// sessions, <see cref="SmtpOptions.MaxConnections"/>, are fewer: the rest wait for one); a stopping worker lets them
/// finish for <see cref="WorkerOptions.ShutdownGrace"/>, as its task runs.
/// </summary>
internal sealed class EmailSendConsumer(
    [FromKeyedServices(EmailSendConsumer.ServiceKey)] ConsumerConfig consumerConfig,
    EmailSendHandler handler,
    DeadLetters deadLetters,
    IOptions<SmtpOptions> smtp,
    IOptions<WorkerOptions> worker,
    ILogger<EmailSendConsumer> logger)
    : ConcurrentConsumer(KafkaTopics.EmailsSend, KafkaTopics.EmailsSendDeadLetter, consumerConfig, handler, deadLetters,
        new ConcurrencyLimits(smtp.Value.MaxInFlight, worker.Value.ShutdownGrace), logger)
{
    /// <summary>Key of the consumer's settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker-email</c>) and resolved config.</summary>
    public const string ServiceKey = "taskworker-email";
    public const string GroupId = "taskworker-email";
}

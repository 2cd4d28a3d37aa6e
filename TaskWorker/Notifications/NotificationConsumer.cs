using Confluent.Kafka;
using TaskWorker.Messaging;

namespace TaskWorker.Notifications;

/// <summary>
/// Consumes one lane's topic (notifications.send or notifications.express) in a group, a thread and an in-flight budget
/// of its own (<see cref="NotificationOptions.MaxInFlight"/>, <see cref="NotificationOptions.ExpressMaxInFlight"/>), so
/// no backlog elsewhere keeps express records on their topic; a stopping worker lets its runs finish for the shutdown grace.
/// </summary>
internal sealed class NotificationConsumer(
    NotificationLane lane,
    ConsumerConfig consumerConfig,
    NotificationSendHandler handler,
    DeadLetters deadLetters,
    ConcurrencyLimits limits,
    ILogger<NotificationConsumer> logger)
    : ConcurrentConsumer(lane.Topic, lane.DeadLetterTopic, consumerConfig, handler, deadLetters, limits, logger);

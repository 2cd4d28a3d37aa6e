using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications.Dispatch;

/// <summary>The one log line of a dispatch (at creation or on a due record): what became of its due deliveries.</summary>
public static partial class DispatchLog
{
    public static void Dispatched(ILogger logger, DispatchOutcome outcome) =>
        LogDispatched(logger, outcome.NotificationId, outcome.Express ? KafkaLane.Express : KafkaLane.Normal,
            outcome.Count(DispatchAction.Hand), outcome.Count(DispatchAction.Feed), outcome.Count(DispatchAction.Wait), outcome.DueTimes,
            outcome.Count(DispatchAction.Throttle), outcome.Count(DispatchAction.NoAddress), StatusNames<NotificationStatus>.Of(outcome.Status));

    [LoggerMessage(LogLevel.Information,
        "Notification {NotificationId} dispatched ({Lane}): {Handed} send records, {Fed} in the feed, {Waiting} waiting for {DueTimes} due times, " +
        "{Throttled} throttled, {NoAddress} without address; status {Status}")]
    private static partial void LogDispatched(
        ILogger logger, long notificationId, string lane, int handed, int fed, int waiting, int dueTimes, int throttled, int noAddress, string status);
}

/// <summary>The lane of a notification's records, as logs and metrics name it.</summary>
public static class KafkaLane
{
    public const string Express = "express";
    public const string Normal = "normal";
}

using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.Notifications.Delivery;

/// <summary>A delivery as the status consumer locked it.</summary>
public sealed record DeliveryRow(
    long Id, long NotificationId, DeliveryChannel Channel, DeliveryStatus Status, int Attempts, int Dispatch, DateTimeOffset? DispatchedAt);

/// <summary>
/// What a worker's report makes of a delivery. A report of the record in flight (its dispatch, and the delivery not
/// waiting for a retry already) settles a pending delivery: sent, failed, or, after a transient failure, pending again and
/// due after the backoff (not before the provider's Retry-After) until <see cref="NotificationOptions.MaxAttempts"/>
/// attempts, then failed. A report that it was sent counts from any record while it is pending (it went out; the
/// worker's sent marker kept a later record from sending it again); any other report of an earlier record, and every
/// report about a final delivery (sent, failed, skipped, cancelled with its notification), changes nothing.
/// </summary>
public sealed record DeliveryTransition(DeliveryRow Before, DeliveryStatus Status, int Attempts, DateTimeOffset? DueAt, DateTimeOffset? SentAt, string? LastError)
{
    public bool Retries => Status == DeliveryStatus.Pending;

    public static DeliveryTransition? Decide(DeliveryRow row, NotificationOutcomeReported report, NotificationOptions options)
    {
        if (row.Status != DeliveryStatus.Pending || report.Dispatch > row.Dispatch)
        {
            return null;
        }
        var inFlight = report.Dispatch == row.Dispatch && row.DispatchedAt is not null;
        if (report.Outcome == NotificationOutcome.Sent)
        {
            return new(row, DeliveryStatus.Sent, row.Attempts + (inFlight ? 1 : 0), null, report.OccurredAt, null);
        }
        if (!inFlight)
        {
            return null;
        }
        var attempts = row.Attempts + 1;
        if (report.Outcome == NotificationOutcome.Failed || attempts >= options.MaxAttempts)
        {
            return new(row, DeliveryStatus.Failed, attempts, null, null, report.Error ?? "failed");
        }
        var backoff = options.Retries.NextAttemptAt(report.OccurredAt, attempts);
        var dueAt = report.RetryNotBefore is { } notBefore && notBefore > backoff ? notBefore : backoff;
        return new(row, DeliveryStatus.Pending, attempts, dueAt.TruncateToMicroseconds(), null, report.Error);
    }
}

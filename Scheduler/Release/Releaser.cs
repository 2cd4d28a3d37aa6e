using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Scheduler.Storage;
using StackExchange.Redis;
using Tasks.Shared;

namespace Scheduler.Release;

/// <summary>
/// Releases due entries: claims a batch under a lease (atomically, so instances never share an entry), produces each
/// record to its target topic with its key, value and headers unchanged, waits for Kafka's acknowledgement, then
/// acknowledges the batch in Redis. Crash points: before the produce, the lease expires and the entry is claimed
/// again; between produce and acknowledgement, the entry is released a second time (consumers are idempotent).
/// <para>
/// A claim takes what is due within the next poll interval, and each entry is produced at its own due time: the
/// Redis round trip happens ahead of time instead of adding to every entry's lateness. Loops without waiting while
/// entries are due; sleeps for the poll interval when none are.
/// </para>
/// </summary>
public sealed partial class Releaser(
    ScheduleStore store,
    IProducer<byte[]?, byte[]> producer,
    SchedulerMetrics metrics,
    IOptions<SchedulerOptions> options,
    TimeProvider clock,
    ILogger<Releaser> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly SchedulerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    wait = await ReleaseDueAsync(stoppingToken);
                    failures = 0;
                }
                catch (Exception e) when (IsRedisFailure(e))
                {
                    wait = RetryDelay(++failures);
                    LogClaimFailed(e, failures, wait);
                }
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Releases one batch of due entries; returns how long to wait before the next claim.</summary>
    private async Task<TimeSpan> ReleaseDueAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var batch = await store.ClaimAsync(now, now + _options.PollInterval, now + _options.LeaseDuration, _options.ReleaseBatchSize);
        metrics.RecordStoredEntries(batch.Stored);
        if (batch.Entries.Count == 0)
        {
            return _options.PollInterval;
        }

        // Kafka batches the records of concurrent produce calls; a stop waits for the batch rather than abandoning
        // it, so a restart does not have to wait for the leases.
        var released = await Task.WhenAll(batch.Entries.Select(ReleaseAsync));
        await AcknowledgeAsync(released.OfType<string>().ToList(), stoppingToken);
        return TimeSpan.Zero;
    }

    /// <summary>Produces one entry's record; returns its id once Kafka has it, or null (the lease will bring it back).</summary>
    private async Task<string?> ReleaseAsync(ClaimedEntry entry)
    {
        ScheduleRequest request;
        try
        {
            request = MessageJson.Deserialize<ScheduleRequest>(entry.Envelope);
        }
        catch (JsonException e)
        {
            // Only this service writes envelopes, so this means a foreign writer or an incompatible version: the entry
            // can never be released, and acknowledging it keeps it from failing every lease period forever.
            LogUnreadable(e, entry.ScheduleId);
            return entry.ScheduleId;
        }
        if (!_options.AllowedTopics.Contains(request.Topic))
        {
            // Stored before the allowlist was narrowed (intake dead-letters such requests): never released.
            return await DeadLetterAsync(entry, $"'topic' {request.Topic} is not one the Scheduler releases to.") ? entry.ScheduleId : null;
        }
        if (entry.Reclaimed)
        {
            LogReclaimed(entry.ScheduleId);
        }
        await UntilDueAsync(request.DueAt);

        var headers = new Headers();
        foreach (var header in request.Headers)
        {
            headers.Add(header.Name, header.Value);
        }
        // The span joins the requester's trace without touching the headers, which are delivered exactly as requested.
        using var activity = SchedulerMetrics.ActivitySource.StartActivity("scheduler release", ActivityKind.Producer, KafkaTracing.Extract(headers));
        activity?.SetTag("scheduler.schedule_id", entry.ScheduleId);
        activity?.SetTag("messaging.destination.name", request.Topic);
        try
        {
            await producer.ProduceAsync(request.Topic, new Message<byte[]?, byte[]> { Key = request.Key, Value = request.Value, Headers = headers });
        }
        catch (KafkaException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Error.Reason);
            LogProduceFailed(e, entry.ScheduleId, request.Topic);
            return null;
        }
        var lateness = clock.GetUtcNow() - request.DueAt;
        metrics.Released(lateness);
        LogReleased(entry.ScheduleId, request.Topic, lateness.TotalMilliseconds);
        return entry.ScheduleId;
    }

    /// <summary>Puts a stored entry on <c>scheduler.dlq</c> (its request as the value, the reason in a header) instead of releasing it.</summary>
    private async Task<bool> DeadLetterAsync(ClaimedEntry entry, string reason)
    {
        try
        {
            await producer.ProduceAsync(KafkaTopics.SchedulerDeadLetter, new Message<byte[]?, byte[]>
            {
                Key = System.Text.Encoding.UTF8.GetBytes(entry.ScheduleId),
                Value = entry.Envelope,
                Headers = [new Header(DeadLetterHeaders.Reason, System.Text.Encoding.UTF8.GetBytes(reason))],
            });
        }
        catch (KafkaException e)
        {
            LogProduceFailed(e, entry.ScheduleId, KafkaTopics.SchedulerDeadLetter);
            return false;
        }
        metrics.DeadLettered();
        LogNotReleased(entry.ScheduleId, reason);
        return true;
    }

    /// <summary>Returns at or after <paramref name="dueAt"/>: a timer may fire up to a millisecond early, so it checks the clock.</summary>
    private async Task UntilDueAsync(DateTimeOffset dueAt)
    {
        for (var early = dueAt - clock.GetUtcNow(); early > TimeSpan.Zero; early = dueAt - clock.GetUtcNow())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(early.TotalMilliseconds)), clock);
        }
    }

    /// <summary>
    /// Retries until Redis takes the acknowledgement: giving up would leave the entries to be released again when
    /// their lease expires. A stop ends the retries: those entries are then released again after their lease.
    /// </summary>
    private async Task AcknowledgeAsync(IReadOnlyList<string> released, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AcknowledgeAsync(released);
                return;
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                var delay = RetryDelay(attempt);
                LogAcknowledgeFailed(e, released.Count, attempt, delay);
                await Task.Delay(delay, clock, stoppingToken);
            }
        }
    }

    // RedisTimeoutException derives from TimeoutException, not from RedisException.
    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException;

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, attempt - 1)));

    [LoggerMessage(LogLevel.Debug, "Schedule {ScheduleId} released to {Topic}, {LatenessMs:F1} ms after due")]
    private partial void LogReleased(string scheduleId, string topic, double latenessMs);

    [LoggerMessage(LogLevel.Warning, "Schedule {ScheduleId} claimed again: its previous claim's lease expired without an acknowledgement")]
    private partial void LogReclaimed(string scheduleId);

    [LoggerMessage(LogLevel.Warning, "Schedule {ScheduleId} not released: Kafka did not accept the record for {Topic}; it is retried when its lease expires")]
    private partial void LogProduceFailed(Exception exception, string scheduleId, string topic);

    [LoggerMessage(LogLevel.Warning, "Schedule {ScheduleId} dead-lettered, not released: {Reason}")]
    private partial void LogNotReleased(string scheduleId, string reason);

    [LoggerMessage(LogLevel.Error, "Schedule {ScheduleId} dropped: its stored envelope cannot be read")]
    private partial void LogUnreadable(Exception exception, string scheduleId);

    [LoggerMessage(LogLevel.Warning, "Claiming due entries failed ({Failures} in a row); retrying in {Delay}")]
    private partial void LogClaimFailed(Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "Acknowledging {Count} released entries failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogAcknowledgeFailed(Exception exception, int count, int attempt, TimeSpan delay);
}

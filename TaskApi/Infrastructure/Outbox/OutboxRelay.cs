using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Tasks;

namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// Publishes committed outbox records to Kafka and marks them sent. Records are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several TaskApi instances relay side by side without publishing a record
/// twice in the normal case; a crash between publish and mark publishes it again (consumers are idempotent).
/// While Kafka is unreachable records stay unsent and the relay retries with backoff, so nothing created
/// during an outage is lost. A record Kafka refuses for good (<see cref="IsPermanent"/>: too large, invalid) is set aside
/// instead: marked with Kafka's answer, counted and logged at error, and the relay goes on with the records behind it.
/// Each batch claims the unsent <see cref="OutboxMessage.Express"/> records first (the express lane), then the others
/// oldest first: an express record never waits behind a backlog longer than the batch being published.
/// </summary>
public sealed partial class OutboxRelay(
    IServiceScopeFactory scopes,
    IProducer<byte[]?, byte[]> producer,
    OutboxSignal signal,
    TaskMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    /// <summary>Room for Kafka's error code and reason in <see cref="OutboxMessage.SetAsideReason"/>.</summary>
    public const int MaxSetAsideReasonLength = 500;

    private readonly OutboxOptions _options = options.Value;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RelayBatchAsync(stoppingToken) == _options.BatchSize)
                {
                }
                if (consecutiveFailures > 0)
                {
                    LogRecovered(consecutiveFailures);
                }
                consecutiveFailures = 0;
                await PurgeSentAsync(stoppingToken);
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                consecutiveFailures++;
                var delay = RetryDelay(consecutiveFailures);
                LogRelayFailed(e, consecutiveFailures, delay);
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Publishes up to one batch; returns how many records it claimed.</summary>
    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The express lane first (its own partial index), then the rest up to the batch size: an express record
            // committed behind 100,000 unsent ones goes out in the relay's next batch.
            var batch = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE express AND sent_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(cancellationToken);
            if (batch.Count < _options.BatchSize)
            {
                batch.AddRange(await db.OutboxMessages
                    .FromSql($"SELECT * FROM outbox_messages WHERE NOT express AND sent_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT {_options.BatchSize - batch.Count} FOR UPDATE SKIP LOCKED")
                    .AsNoTracking()
                    .ToListAsync(cancellationToken));
            }
            if (batch.Count == 0)
            {
                return 0;
            }

            var failures = await Task.WhenAll(batch.Select(message => PublishAsync(message, cancellationToken)));
            var sentIds = batch.Where((_, i) => failures[i] is null).Select(m => m.Id).ToList();
            var now = clock.GetUtcNow();
            await db.OutboxMessages.Where(m => sentIds.Contains(m.Id))
                .ExecuteUpdateAsync(update => update.SetProperty(m => m.SentAt, now), cancellationToken);
            var refused = batch.Select((message, i) => (Message: message, Error: failures[i]))
                .Where(f => f.Error is not null && IsPermanent(f.Error.Code)).ToList();
            foreach (var (message, error) in refused)
            {
                var reason = NpgsqlArrays.Truncated($"{error!.Code}: {error.Reason}", MaxSetAsideReasonLength);
                await db.OutboxMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(update => update
                    .SetProperty(m => m.SetAsideAt, now)
                    .SetProperty(m => m.SetAsideReason, reason), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);

            foreach (var (message, error) in refused)
            {
                metrics.OutboxSetAside(message.Topic);
                LogSetAside(message.Id, message.Topic, message.Value?.Length ?? 0, error!.Code, error.Reason);
            }
            var undelivered = batch.Count - sentIds.Count - refused.Count;
            if (undelivered > 0)
            {
                metrics.OutboxUndelivered(undelivered);
                var first = failures.First(f => f is not null && !IsPermanent(f.Code))!;
                throw new KafkaException(new Error(first.Code,
                    $"{undelivered} of {batch.Count} outbox records were not delivered ({first.Reason}); they stay unsent."));
            }
            return batch.Count;
        });
    }

    /// <summary>Publishes one record; returns null when Kafka has it, otherwise why not.</summary>
    private async Task<Error?> PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in message.Headers ?? [])
        {
            // The publish's trace context (from TraceParent, below) replaces any the record carried: a replayed dead
            // letter joins the trace of its replay, not the one that failed.
            if (!DistributedContextPropagator.Current.Fields.Contains(header.Name))
            {
                headers.Add(header.Name, header.Value);
            }
        }
        using var activity = KafkaTracing.StartPublish(message.Topic, headers, KafkaTracing.ParseTraceParent(message.TraceParent));
        try
        {
            await producer.ProduceAsync(message.Topic, new Message<byte[]?, byte[]>
            {
                Key = message.Key,
                // Null is a tombstone: the byte-array serializer passes it on as Kafka's null value.
                Value = message.Value!,
                Headers = headers,
            }, cancellationToken);
            return null;
        }
        catch (ProduceException<byte[]?, byte[]> e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Error.Reason);
            return e.Error;
        }
    }

    /// <summary>
    /// Kafka's answers that no retry changes: the record itself is wrong for the broker (larger than the producer's or the
    /// topic's limit, a batch too large, a record the broker cannot read, an invalid topic name). Anything else (an
    /// outage, a timeout, a missing authorization an operator can grant) is retried.
    /// </summary>
    public static bool IsPermanent(ErrorCode code) =>
        code is ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidRecord or ErrorCode.TopicException;

    private async Task PurgeSentAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextPurge)
        {
            return;
        }
        _nextPurge = now + _options.RetainSent / 4;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var cutoff = now - _options.RetainSent;
        await db.OutboxMessages.Where(m => m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private TimeSpan RetryDelay(int consecutiveFailures) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, consecutiveFailures - 1)));

    [LoggerMessage(LogLevel.Warning, "Outbox relay failed ({Failures} in a row); retrying in {Delay}")]
    private partial void LogRelayFailed(Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(LogLevel.Error,
        "Outbox record {OutboxId} to {Topic} ({Bytes} bytes) set aside unsent: Kafka refused it for good ({ErrorCode}: {Reason}); the relay goes on without it")]
    private partial void LogSetAside(long outboxId, string topic, int bytes, ErrorCode errorCode, string reason);

    [LoggerMessage(LogLevel.Information, "Outbox relay recovered after {Failures} failed attempts")]
    private partial void LogRecovered(int failures);
}

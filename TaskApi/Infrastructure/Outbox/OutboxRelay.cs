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
/// during an outage is lost.
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
            var batch = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return 0;
            }

            var failures = await Task.WhenAll(batch.Select(message => PublishAsync(message, cancellationToken)));
            var sentIds = batch.Where((_, i) => failures[i] is null).Select(m => m.Id).ToList();
            var now = clock.GetUtcNow();
            await db.OutboxMessages.Where(m => sentIds.Contains(m.Id))
                .ExecuteUpdateAsync(update => update.SetProperty(m => m.SentAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            if (sentIds.Count < batch.Count)
            {
                metrics.OutboxUndelivered(batch.Count - sentIds.Count);
                var first = failures.First(f => f is not null)!;
                throw new KafkaException(new Error(first.Code,
                    $"{batch.Count - sentIds.Count} of {batch.Count} outbox records were not delivered ({first.Reason}); they stay unsent."));
            }
            return batch.Count;
        });
    }

    /// <summary>Publishes one record; returns null when Kafka has it, otherwise why not.</summary>
    private async Task<Error?> PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        using var activity = KafkaTracing.StartPublish(message.Topic, headers, KafkaTracing.ParseTraceParent(message.TraceParent));
        try
        {
            await producer.ProduceAsync(message.Topic, new Message<byte[]?, byte[]>
            {
                Key = message.Key,
                Value = message.Value,
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

    [LoggerMessage(LogLevel.Information, "Outbox relay recovered after {Failures} failed attempts")]
    private partial void LogRecovered(int failures);
}

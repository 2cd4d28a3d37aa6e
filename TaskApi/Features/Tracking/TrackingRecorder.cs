using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Features.Campaigns;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Tracking;

/// <summary>
/// Records opens and clicks in batches: each request queues its event and waits; the writer takes everything queued
/// (up to <see cref="MaxBatchSize"/>), adds it to the emails' counts and first times with one statement, and answers
/// every request of the batch. Opens arrive in bursts (a campaign's readers open it within minutes): a statement per
/// open would spend PostgreSQL's time on commits, one per batch keeps up with thousands a second.
/// </summary>
public sealed partial class TrackingRecorder(IServiceScopeFactory scopes, CampaignMetrics metrics, TimeProvider clock, ILogger<TrackingRecorder> logger)
    : BackgroundService
{
    public const int MaxBatchSize = 2000;

    private const string RecordSql = """
        UPDATE email_messages AS m SET
            opens = m.opens + c.opens, first_opened_at = LEAST(m.first_opened_at, c.opened_at),
            clicks = m.clicks + c.clicks, first_clicked_at = LEAST(m.first_clicked_at, c.clicked_at)
        FROM unnest(@ids, @opens, @opened_at, @clicks, @clicked_at) AS c(id, opens, opened_at, clicks, clicked_at)
        WHERE m.id = c.id
        """;

    private readonly Channel<Event> _queue = Channel.CreateUnbounded<Event>(new UnboundedChannelOptions { SingleReader = true });

    public Task RecordOpenAsync(long messageId) => EnqueueAsync(messageId, isClick: false);

    public Task RecordClickAsync(long messageId) => EnqueueAsync(messageId, isClick: true);

    private Task EnqueueAsync(long messageId, bool isClick)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Event(messageId, isClick, clock.GetUtcNow().TruncateToMicroseconds(), recorded)))
        {
            throw new InvalidOperationException("TaskApi is stopping; the event was not recorded.");
        }
        return recorded.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Events already queued when the host stops are still written: each one's request is waiting for its answer.
        stoppingToken.Register(() => _queue.Writer.TryComplete());
        var batch = new List<Event>(MaxBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            await WriteAsync(batch);
        }
    }

    private async Task WriteAsync(List<Event> batch)
    {
        try
        {
            // Ordered by id, so two statements touching the same emails lock them in the same order.
            var perEmail = batch.GroupBy(e => e.MessageId).OrderBy(g => g.Key).Select(events => new
            {
                Id = events.Key,
                Opens = events.Count(e => !e.IsClick),
                OpenedAt = events.Where(e => !e.IsClick).Select(e => (DateTimeOffset?)e.At).Min(),
                Clicks = events.Count(e => e.IsClick),
                ClickedAt = events.Where(e => e.IsClick).Select(e => (DateTimeOffset?)e.At).Min(),
            }).ToList();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
            await db.Database.ExecuteSqlRawAsync(RecordSql,
                new NpgsqlParameter("ids", perEmail.Select(e => e.Id).ToArray()),
                new NpgsqlParameter("opens", perEmail.Select(e => e.Opens).ToArray()),
                NpgsqlArrays.Of("opened_at", NpgsqlDbType.TimestampTz, perEmail.Select(e => e.OpenedAt)),
                new NpgsqlParameter("clicks", perEmail.Select(e => e.Clicks).ToArray()),
                NpgsqlArrays.Of("clicked_at", NpgsqlDbType.TimestampTz, perEmail.Select(e => e.ClickedAt)));
            var clicks = batch.Count(e => e.IsClick);
            metrics.Tracked("open", batch.Count - clicks);
            metrics.Tracked("click", clicks);
            foreach (var item in batch)
            {
                item.Recorded.TrySetResult();
            }
        }
        catch (Exception e)
        {
            LogFailed(e, batch.Count);
            foreach (var item in batch)
            {
                item.Recorded.TrySetException(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Recording {Count} opens and clicks failed")]
    private partial void LogFailed(Exception exception, int count);

    private sealed record Event(long MessageId, bool IsClick, DateTimeOffset At, TaskCompletionSource Recorded);
}

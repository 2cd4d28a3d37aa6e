using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Audit.Recording;

/// <summary>
/// Writes TaskApi's audit entries in batches, off the requests' path: a request queues its entry and goes on, the writer
/// stores everything queued with one statement. A write per request would cost every creation a second commit; batched,
/// the audit log keeps up with thousands of writes a second. Entries queued when the host stops are written before it
/// ends; a crash loses those of the last moments (at most one batch, written within a few milliseconds).
/// </summary>
public sealed partial class AuditRecorder(IServiceScopeFactory scopes, ILogger<AuditRecorder> logger) : BackgroundService
{
    public const int MaxBatchSize = 2000;

    private const string InsertSql = """
        INSERT INTO audit_log (occurred_at, actor_id, actor_kind, actor_name, action, entity, client_address, status, source)
        SELECT occurred_at, actor_id, actor_kind, actor_name, action, entity, client_address, status, @source
        FROM unnest(@occurred_at, @actor_id, @actor_kind, @actor_name, @action, @entity, @client_address, @status)
            AS e(occurred_at, actor_id, actor_kind, actor_name, action, entity, client_address, status)
        """;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Channel<AuditEntry> _queue = Channel.CreateUnbounded<AuditEntry>(new UnboundedChannelOptions { SingleReader = true });

    public void Record(AuditEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            LogNotRecorded(logger, entry.Action, entry.Entity);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        stoppingToken.Register(() => _queue.Writer.TryComplete());
        var batch = new List<AuditEntry>(MaxBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            // A database that is away is waited for while the service runs; at the stop, one more try.
            while (!await TryWriteAsync(batch) && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(RetryDelay, CancellationToken.None);
            }
        }
    }

    private async Task<bool> TryWriteAsync(List<AuditEntry> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
            await db.Database.ExecuteSqlRawAsync(InsertSql,
                new NpgsqlParameter("occurred_at", batch.Select(e => e.OccurredAt).ToArray()),
                new NpgsqlParameter("actor_id", batch.Select(e => e.ActorId).ToArray()),
                new NpgsqlParameter("actor_kind", batch.Select(e => e.ActorKind).ToArray()),
                NpgsqlArrays.Of("actor_name", NpgsqlDbType.Varchar, batch.Select(e => e.ActorName)),
                new NpgsqlParameter("action", batch.Select(e => e.Action).ToArray()),
                NpgsqlArrays.Of("entity", NpgsqlDbType.Varchar, batch.Select(e => e.Entity)),
                NpgsqlArrays.Of("client_address", NpgsqlDbType.Varchar, batch.Select(e => e.ClientAddress)),
                NpgsqlArrays.Of("status", NpgsqlDbType.Integer, batch.Select(e => e.Status)),
                new NpgsqlParameter("source", AuditEntry.FromTaskApi));
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            LogWriteFailed(logger, batch.Count, e.Message);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Error, "Audit entry not recorded, TaskApi is stopping: {Action} {Entity}")]
    private static partial void LogNotRecorded(ILogger logger, string action, string? entity);

    [LoggerMessage(LogLevel.Warning, "Could not write {Count} audit entries ({Reason}); trying again")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);
}

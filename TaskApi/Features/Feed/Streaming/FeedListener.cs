using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.Feed.Streaming;

/// <summary>
/// One connection per TaskApi process that LISTENs on <see cref="FeedNotices.Channel"/> and wakes the open streams of
/// each notice's user (<see cref="FeedSubscriptions"/>), whichever replica made the delivery sent. When the connection
/// fails it listens again after <see cref="FeedOptions.ListenRetryDelay"/> and wakes every stream, since notices sent
/// meanwhile are lost to it: each stream then reads what it missed from the table.
/// </summary>
public sealed partial class FeedListener(
    IServiceScopeFactory scopes,
    FeedSubscriptions subscriptions,
    IOptions<FeedOptions> options,
    ILogger<FeedListener> logger) : BackgroundService
{
    /// <summary>True while LISTEN is in effect (the health check, and tests that must not notify before it).</summary>
    public bool Listening { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = await ConnectionStringAsync();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                Listening = false;
                LogListenFailed(logger, failure, options.Value.ListenRetryDelay);
                await Task.Delay(options.Value.ListenRetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        Listening = false;
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, notice) => Wake(notice.Payload);
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {FeedNotices.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        Listening = true;
        LogListening(logger);
        // Anything made sent before LISTEN took effect was announced to nobody here.
        subscriptions.WakeAll();
        while (true)
        {
            if (!await connection.WaitAsync(options.Value.ListenerKeepAlive, stoppingToken))
            {
                // Quiet for a while: a query proves the connection still stands (a dead one throws, and is replaced).
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void Wake(string payload)
    {
        try
        {
            var notice = JsonSerializer.Deserialize<FeedNotice>(payload, JsonSerializerOptions.Web);
            if (notice?.UserId is { } userId)
            {
                subscriptions.Wake(userId);
                return;
            }
        }
        catch (JsonException)
        {
        }
        LogUnreadableNotice(logger, LogText.Escaped(payload));
    }

    /// <summary>The connection string the DbContext uses (with ConnectionDefaults applied), for a connection of our own.</summary>
    private async Task<string> ConnectionStringAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            // Never returned to the pool while it listens; and no prepared statements to keep.
            Pooling = false,
        };
        return builder.ConnectionString;
    }

    /// <summary>What <see cref="FeedNotices"/> sends: whose feed has a new item (the rest is for a reader of the channel).</summary>
    private sealed record FeedNotice(string? UserId, long DeliveryId, long FeedSeq);

    [LoggerMessage(LogLevel.Information, "Listening for feed notices on channel " + FeedNotices.Channel)]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Listening for feed notices failed; listening again in {RetryDelay}")]
    private static partial void LogListenFailed(ILogger logger, Exception failure, TimeSpan retryDelay);

    [LoggerMessage(LogLevel.Warning, "A feed notice was not understood and woke no stream: {Payload}")]
    private static partial void LogUnreadableNotice(ILogger logger, string payload);
}

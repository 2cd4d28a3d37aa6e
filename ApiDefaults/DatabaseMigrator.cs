using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Tasks.ApiDefaults;

/// <summary>
/// Creates the database if needed and applies pending EF Core migrations before the server starts listening
/// (hosted services start first), so the API never serves against an old schema. Instances starting together
/// take turns under a PostgreSQL advisory lock: EF's own migration lock needs the history table, which the first
/// migration of a fresh database is still creating, so two replicas racing there crashed one of them.
/// </summary>
public sealed class DatabaseMigrator<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
{
    // Any constant the application does not use for another lock.
    private const long MigrationLockKey = 0x7461736b73; // "tasks"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        await CreateDatabaseIfMissingAsync(database.GetService<IRelationalDatabaseCreator>(), cancellationToken);

        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                // Made first, so that a fresh database's first start logs no failed query of the history table as an error
                // (EF reads it before creating it), which the dashboard would show beside a start that went well.
                await database.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await database.MigrateAsync(cancellationToken);
            }
            finally
            {
                // Explicitly: the pooled connection's session outlives CloseConnection, and the lock with it.
                await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The lock lives in the database, so the database must exist first; another instance may create it at the same moment.</summary>
    private static async Task CreateDatabaseIfMissingAsync(IRelationalDatabaseCreator creator, CancellationToken cancellationToken)
    {
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }
}

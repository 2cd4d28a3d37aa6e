using Microsoft.EntityFrameworkCore;

namespace TaskApi.Infrastructure;

/// <summary>
/// Creates the database if needed and applies pending EF Core migrations before the server starts
/// listening (hosted services start first), so the API never serves against an old schema. EF Core
/// takes a database lock while migrating, so several instances starting together are safe.
/// </summary>
public sealed class DatabaseMigrator<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

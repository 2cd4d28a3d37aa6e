using AppHost.Model;
using Npgsql;

namespace AppHost.Running;

/// <summary>A database on the server this run uses, created when it does not exist yet (as Aspire's <c>AddDatabase</c> does).</summary>
public sealed class PostgresDatabaseRunner(PostgresDatabaseResource database, RunValues values) : ResourceRunner(database)
{
    public override IReadOnlyList<Resource> Dependencies => [database.Server];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = PrivatePostgresRunner.Connect(values.Resolve(database.Server.ConnectionStringExpression));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = database.DatabaseName } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override IEnumerable<ResourceRow> Rows =>
    [
        new(Resource.Name, "ready", null, ConnectionStrings.Describe(values.Resolve(database.ConnectionStringExpression)),
            $"database on {database.Server.Name}, user {PostgresServerResource.SuperUser}"),
    ];
}

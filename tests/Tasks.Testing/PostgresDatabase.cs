using Npgsql;

namespace Tasks.Testing;

/// <summary>
/// A fresh, uniquely named database on the real PostgreSQL server, dropped when disposed.
/// The server comes from TASKS_TEST_POSTGRES (an Npgsql connection string without a database);
/// by default the local server that scripts/prerequisites.sh starts.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";

    private readonly string _serverConnectionString;

    private PostgresDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("TASKS_TEST_POSTGRES") ?? DefaultServer;
        var database = new PostgresDatabase(server, $"tasks_test_{Guid.NewGuid():N}");
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>Drops the database while clients may still be connected, as an outage would look to them.</summary>
    public Task DropAsync() => ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");

    /// <summary>
    /// Makes the database unavailable as a stopped or unreachable server would be to its clients: new connections are
    /// refused and the open ones are terminated (their next use fails with 57P01).
    /// </summary>
    public async Task BlockAsync()
    {
        await ExecuteOnServerAsync($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS false");
        await ExecuteOnServerAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}' AND pid <> pg_backend_pid()");
    }

    /// <summary>Lets clients connect again after <see cref="BlockAsync"/>.</summary>
    public Task UnblockAsync() => ExecuteOnServerAsync($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS true");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DropAsync();
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

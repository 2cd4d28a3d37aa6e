using Npgsql;
using Tasks.Testing;

namespace Identity.Tests;

/// <summary>What the identity service stored, read straight from its database.</summary>
public static class DatabaseReads
{
    public static async Task<T> ScalarAsync<T>(this PostgresDatabase database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

using System.Data.Common;
using System.Net;
using Npgsql;

namespace Tasks.ApiDefaults;

/// <summary>
/// Npgsql settings the connection string leaves unset, chosen for our workload (measured on the create path:
/// bench/PipelineBench). A connection string that sets one of them keeps its own value.
/// </summary>
public static class ConnectionDefaults
{
    public static string? Apply(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // NpgsqlConnectionStringBuilder answers ContainsKey for every keyword it knows, set or not: ask the text itself.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(Normalized).ToHashSet();
        // The same few statements run all the time: prepared, the server plans each once per connection.
        if (!given.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = 20;
        }
        // DISCARD ALL on every return to the pool would also drop those prepared statements; we keep no session state.
        if (!given.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }
        // Npgsql's default (Prefer) means TLS wherever the server offers it, as Debian's does: on loopback that doubles
        // the server's CPU per insert and protects nothing.
        if (!given.Contains("sslmode") && IsLoopback(builder.Host))
        {
            builder.SslMode = SslMode.Disable;
        }
        return builder.ConnectionString;
    }

    private static string Normalized(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    private static bool IsLoopback(string? hosts) =>
        hosts is not null && hosts.Split(',').All(host =>
        {
            var name = host.Split(':')[0].Trim();
            return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
        });
}

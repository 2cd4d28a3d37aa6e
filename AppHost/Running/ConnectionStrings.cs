using System.Data.Common;

namespace AppHost.Running;

/// <summary>Connection strings as the resource table shows them: where they point, never their secrets.</summary>
public static class ConnectionStrings
{
    /// <summary>host:port/database for key=value strings (Npgsql); others (host:port lists) as they are.</summary>
    public static string Describe(string connectionString)
    {
        if (!connectionString.Contains('='))
        {
            return connectionString;
        }
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var host = builder.TryGetValue("Host", out var h) ? h : "?";
        var port = builder.TryGetValue("Port", out var p) ? $":{p}" : "";
        var database = builder.TryGetValue("Database", out var d) ? $"/{d}" : "";
        return $"{host}{port}{database}";
    }
}

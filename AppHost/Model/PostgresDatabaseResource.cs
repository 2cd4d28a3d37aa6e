namespace AppHost.Model;

/// <summary>A database on a PostgreSQL server (Aspire's <c>AddDatabase</c>; a <c>value.v0</c> in the manifest).</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource server) : Resource(name), IResourceWithConnectionString
{
    public PostgresServerResource Server { get; } = server;

    /// <summary>The database is named like the resource.</summary>
    public string DatabaseName => Name;

    public string ConnectionStringExpression => $"{Expressions.ConnectionString(Server)};Database={DatabaseName}";
}

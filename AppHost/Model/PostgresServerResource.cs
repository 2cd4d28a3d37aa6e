namespace AppHost.Model;

/// <summary>
/// A PostgreSQL server (Aspire's <c>AddPostgres</c>): superuser <c>postgres</c> with a generated password, password
/// (scram-sha-256) authentication for every connection, data in a volume.
/// </summary>
public sealed class PostgresServerResource : ContainerResource, IResourceWithConnectionString
{
    public const string SuperUser = "postgres";
    public const int DefaultPort = 5432;

    /// <summary>How initdb sets up authentication: in the container (POSTGRES_INITDB_ARGS) and for the private cluster of a run alike.</summary>
    public static readonly IReadOnlyList<string> InitdbAuthenticationArgs = ["--auth-host=scram-sha-256", "--auth-local=scram-sha-256"];

    public PostgresServerResource(string name, ParameterResource password) : base(name, "docker.io/library/postgres:17")
    {
        Password = password;
        Environment = new Dictionary<string, string>
        {
            ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
            ["POSTGRES_INITDB_ARGS"] = string.Join(' ', InitdbAuthenticationArgs),
            ["POSTGRES_USER"] = SuperUser,
            ["POSTGRES_PASSWORD"] = Expressions.Value(password),
        };
        Bindings = [new Binding("tcp", "tcp", DefaultPort)];
        Volumes = [DataVolume(name, "/var/lib/postgresql/data")];
    }

    public ParameterResource Password { get; }

    public string ConnectionStringExpression =>
        $"Host={Expressions.Host(this)};Port={Expressions.Port(this)};Username={SuperUser};Password={Expressions.Value(Password)}";

    public PostgresDatabaseResource AddDatabase(string name) => new(name, this);
}

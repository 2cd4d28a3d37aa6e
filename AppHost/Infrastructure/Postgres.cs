using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Infrastructure;

public static class PostgresExtensions
{
    /// <summary>The PostgreSQL server every database of the system lives on (see <see cref="PostgresServer"/>).</summary>
    public static PostgresServer AddPostgresServer(this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, string name) =>
        new(builder, infrastructure, name);
}

/// <summary>
/// One PostgreSQL server for the system's databases: Aspire's container with a data volume, or a private cluster of this
/// machine's PostgreSQL programs in the data folder. A database given as <c>ConnectionStrings:{database}</c> is that one
/// instead, and the server is started only when some database is not given. Each database is created by its service's
/// migrations.
/// </summary>
public sealed class PostgresServer(IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, string name)
{
    private const string SuperUser = "postgres";

    private IResourceBuilder<PostgresServerResource>? _container;
    private IResourceBuilder<LocalPostgresResource>? _local;

    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string databaseName)
    {
        if (builder.ExistingServer(databaseName) is { } existing)
        {
            return existing;
        }
        if (infrastructure.Containers)
        {
            _container ??= builder.AddPostgres(name).WithDataVolume("tasks-postgres-data");
            return _container.AddDatabase(databaseName);
        }
        _local ??= AddLocalServer();
        return AddLocalDatabase(_local, databaseName);
    }

    private IResourceBuilder<LocalPostgresResource> AddLocalServer()
    {
        var cluster = new LocalPostgresCluster(Path.Combine(infrastructure.DataDirectory, name), builder.Configuration.GetValue<int?>("Postgres:Port"));
        cluster.CreateIfMissing(SuperUser);
        var password = builder.AddParameter($"{name}-password", cluster.ReadPassword, secret: true);
        var resource = new LocalPostgresResource(name, cluster, password.Resource, SuperUser);
        var server = builder.AddResource(resource)
            .WithEndpoint(port: cluster.Port, scheme: "tcp", name: LocalPostgresResource.EndpointName, isProxied: false)
            .WithArgs(context => cluster.AddServerArguments(context.Args, resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort)))
            .WithIconName("Database")
            .ExcludeFromManifest();

        // Ready when it answers queries, not when the process has started (it replays its log first); each database
        // waits for that.
        string? connectionString = null;
        server.OnConnectionStringAvailable(async (resource, _, cancellationToken) => connectionString = await ((IResourceWithConnectionString)resource).GetConnectionStringAsync(cancellationToken));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString ?? throw new InvalidOperationException("PostgreSQL's address is not known yet."), name: healthCheck);
        return server.WithHealthCheck(healthCheck);
    }

    private IResourceBuilder<IResourceWithConnectionString> AddLocalDatabase(IResourceBuilder<LocalPostgresResource> server, string databaseName) =>
        builder.AddResource(new LocalPostgresDatabaseResource(databaseName, server.Resource))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabaseResource", State = KnownResourceStates.NotStarted, Properties = [] })
            .WithIconName("Database")
            .ExcludeFromManifest()
            // Aspire passes a parent's state on to its children only for containers; an executable's child says it itself.
            .OnInitializeResource(async (database, initialize, cancellationToken) =>
            {
                await initialize.Eventing.PublishAsync(new BeforeResourceStartedEvent(database, initialize.Services), cancellationToken);
                await initialize.Notifications.WaitForResourceHealthyAsync(server.Resource.Name, cancellationToken);
                await initialize.Notifications.PublishUpdateAsync(database, snapshot => snapshot with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
                await initialize.Eventing.PublishAsync(new ConnectionStringAvailableEvent(database, initialize.Services), cancellationToken);
            });
}

/// <summary>PostgreSQL from this machine's programs; its connection string has the container's shape.</summary>
public sealed class LocalPostgresResource(string name, LocalPostgresCluster cluster, ParameterResource password, string superUser)
    : ExecutableResource(name, cluster.Command, cluster.Directory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.IPV4Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={superUser};Password={password}");
}

/// <summary>A database on <see cref="LocalPostgresResource"/>: its state follows the server's, as Aspire's own databases do.</summary>
public sealed class LocalPostgresDatabaseResource(string name, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent => parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={Name}");
}

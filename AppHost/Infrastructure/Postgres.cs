using AppHost.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Infrastructure;

public static class PostgresExtensions
{
    private const string SuperUser = "postgres";

    /// <summary>
    /// The database <paramref name="name"/> on the PostgreSQL server <paramref name="serverName"/>: Aspire's container
    /// with a data volume, or a private cluster of this machine's PostgreSQL programs in the data folder, or the server
    /// that <c>ConnectionStrings:{name}</c> names. The database itself is created by TaskApi's migrations.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresDatabase(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, string name, string serverName)
    {
        if (builder.ExistingServer(name) is { } existing)
        {
            return existing;
        }
        if (infrastructure.Containers)
        {
            return builder.AddPostgres(serverName).WithDataVolume("tasks-postgres-data").AddDatabase(name);
        }

        var cluster = new LocalPostgresCluster(Path.Combine(infrastructure.DataDirectory, serverName), builder.Configuration.GetValue<int?>("Postgres:Port"));
        cluster.CreateIfMissing(SuperUser);
        var password = builder.AddParameter($"{serverName}-password", cluster.ReadPassword, secret: true);
        var resource = new LocalPostgresResource(serverName, cluster, password.Resource, SuperUser);
        var server = builder.AddResource(resource)
            .WithEndpoint(port: cluster.Port, scheme: "tcp", name: LocalPostgresResource.EndpointName, isProxied: false)
            .WithArgs(context => cluster.AddServerArguments(context.Args, resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort)))
            .WithIconName("Database")
            .ExcludeFromManifest();
        var database = builder.AddResource(new LocalPostgresDatabaseResource(name, server.Resource))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabaseResource", State = KnownResourceStates.NotStarted, Properties = [] })
            .WithIconName("Database")
            .ExcludeFromManifest()
            // Aspire passes a parent's state on to its children only for containers; an executable's child says it itself.
            .OnInitializeResource(async (resource, initialize, cancellationToken) =>
            {
                await initialize.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, initialize.Services), cancellationToken);
                await initialize.Notifications.WaitForResourceHealthyAsync(serverName, cancellationToken);
                await initialize.Notifications.PublishUpdateAsync(resource, snapshot => snapshot with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
                await initialize.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, initialize.Services), cancellationToken);
            });

        // Ready when it answers queries, not when the process has started (it replays its log first); the database
        // waits for that above.
        string? connectionString = null;
        server.OnConnectionStringAvailable(async (resource, _, cancellationToken) => connectionString = await ((IResourceWithConnectionString)resource).GetConnectionStringAsync(cancellationToken));
        var healthCheck = $"{serverName}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString ?? throw new InvalidOperationException("PostgreSQL's address is not known yet."), name: healthCheck);
        server.WithHealthCheck(healthCheck);
        return database;
    }
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

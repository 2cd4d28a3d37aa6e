using AppHost.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Infrastructure;

public static class RedisExtensions
{
    private const string Fix = "run scripts/prerequisites.sh, or set ConnectionStrings__redis to use another Redis";

    /// <summary>
    /// Redis with append-only persistence: Aspire's container with a data volume, or this machine's redis-server with
    /// its files in the data folder, or the server that <c>ConnectionStrings:{name}</c> names.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, string name)
    {
        if (builder.ExistingServer(name) is { } existing)
        {
            return existing;
        }
        if (infrastructure.Containers)
        {
            return builder.AddRedis(name).WithDataVolume("tasks-redis-data").WithAppendOnlyFile();
        }

        var program = FindOnPath("redis-server") ?? throw new StartupProblem($"redis-server is not installed: {Fix}");
        var port = builder.Configuration.GetValue<int?>("Redis:Port") is { } fixedPort ? Ports.EnsureFree(fixedPort, "Redis:Port") : (int?)null;
        var directory = Path.Combine(infrastructure.DataDirectory, name);
        Directory.CreateDirectory(directory);

        var resource = new LocalRedisResource(name, program, directory);
        var redis = builder.AddResource(resource)
            .WithEndpoint(port: port, scheme: "tcp", name: LocalRedisResource.EndpointName, isProxied: false)
            // The append-only file is the persistence (as in the container, below), with no snapshots besides it.
            .WithArgs(context =>
            {
                foreach (var arg in new object[]
                {
                    "--port", resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort), "--bind", "127.0.0.1",
                    "--dir", directory, "--appendonly", "yes", "--save", "",
                })
                {
                    context.Args.Add(arg);
                }
            })
            .WithIconName("Database")
            .ExcludeFromManifest();

        // Ready when PING answers, which is after the append-only file has been loaded.
        string? connectionString = null;
        redis.OnConnectionStringAvailable(async (r, _, cancellationToken) => connectionString = await ((IResourceWithConnectionString)r).GetConnectionStringAsync(cancellationToken));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString ?? throw new InvalidOperationException("Redis's address is not known yet."), name: healthCheck);
        return redis.WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// Aspire's Redis container persists by snapshots (<c>--save</c>); the delay store wants every acknowledged write kept,
    /// so the server also writes its append-only file. In the manifest Aspire joins the server's arguments into one
    /// <c>sh -c</c> command line; while running it passes them one by one.
    /// </summary>
    private static IResourceBuilder<RedisResource> WithAppendOnlyFile(this IResourceBuilder<RedisResource> redis) =>
        redis.WithArgs(context =>
        {
            if (context.ExecutionContext.IsPublishMode && context.Args.Count > 0 && context.Args[^1] is string commandLine)
            {
                context.Args[^1] = commandLine + " --appendonly yes";
            }
            else
            {
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
            }
        });

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(Path.PathSeparator)
            .Concat(["/usr/sbin", "/usr/local/bin"])
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>Redis from this machine's redis-server; its connection string has the container's shape (without a password: it listens on loopback only).</summary>
public sealed class LocalRedisResource(string name, string program, string directory)
    : ExecutableResource(name, program, directory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.IPV4Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}

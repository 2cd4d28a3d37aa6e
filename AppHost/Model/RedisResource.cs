namespace AppHost.Model;

/// <summary>
/// Redis (Aspire's <c>AddRedis</c>) with append-only persistence: every write is logged to disk, so the Scheduler's
/// entries survive a restart of Redis.
/// </summary>
public sealed class RedisResource : ContainerResource, IResourceWithConnectionString
{
    public RedisResource(string name) : base(name, "docker.io/library/redis:7.4")
    {
        Args = ["--appendonly", "yes"];
        Bindings = [new Binding("tcp", "tcp", 6379)];
        Volumes = [DataVolume(name, "/data")];
    }

    /// <summary>StackExchange.Redis's format: host:port.</summary>
    public string ConnectionStringExpression => $"{Expressions.Host(this)}:{Expressions.Port(this)}";
}

using AppHost.Model;

namespace AppHost.Running;

/// <summary>One line of the resource table.</summary>
/// <param name="Endpoint">Where clients reach it: a URL, host:port, or bootstrap servers.</param>
public sealed record ResourceRow(string Name, string State, int? Pid, string Endpoint, string Details);

/// <summary>Runs one resource of the model on this machine, the way this run was configured to.</summary>
public abstract class ResourceRunner(Resource resource)
{
    public Resource Resource { get; } = resource;

    /// <summary>Resources that must be up before this one starts, and that stop only after it.</summary>
    public virtual IReadOnlyList<Resource> Dependencies => [];

    /// <summary>The names its processes write their log lines under.</summary>
    public virtual IEnumerable<string> ProcessNames => [];

    /// <summary>
    /// Checks what the resource needs (programs, libraries, free ports) without changing anything; throws an
    /// <see cref="AppHostException"/> naming the fix. Runs for every resource before any is prepared.
    /// </summary>
    public virtual void CheckPrerequisites()
    {
    }

    /// <summary>Sets up what the resource keeps between runs (its data folder), before anything starts; throws an <see cref="AppHostException"/> naming the fix.</summary>
    public virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Starts the resource and returns once it is healthy.</summary>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops what <see cref="StartAsync"/> started (if it did), gracefully unless <paramref name="stopNow"/> is cancelled.</summary>
    public virtual Task StopAsync(CancellationToken stopNow) => Task.CompletedTask;

    public abstract IEnumerable<ResourceRow> Rows { get; }
}

/// <summary>A resource whose connection string this run was given (<c>ConnectionStrings__{name}</c>): used as it is, nothing to start.</summary>
public sealed class ExternalResourceRunner(IResourceWithConnectionString resource, string connectionString, RunValues values)
    : ResourceRunner((Resource)resource)
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        values.Set(Expressions.ConnectionString(resource), connectionString);
        return Task.CompletedTask;
    }

    public override IEnumerable<ResourceRow> Rows =>
        [new(Resource.Name, "external", null, ConnectionStrings.Describe(connectionString), $"from ConnectionStrings__{Resource.Name}")];
}

/// <summary>A resource nothing in this run needs, e.g. the PostgreSQL server when the database is given from outside.</summary>
public sealed class UnusedResourceRunner(Resource resource, string reason) : ResourceRunner(resource)
{
    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override IEnumerable<ResourceRow> Rows => [new(Resource.Name, "unused", null, "-", reason)];
}

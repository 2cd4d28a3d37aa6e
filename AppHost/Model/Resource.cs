namespace AppHost.Model;

/// <summary>
/// A part of the application, as in a .NET Aspire AppHost. Its name is its key in the deployment manifest, the
/// first word of the manifest's expressions that refer to it and, for resources with a connection string, the
/// <c>ConnectionStrings__{name}</c> their clients read.
/// </summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

/// <summary>A resource that clients reach through a connection string.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>The connection string as a manifest expression, e.g. <c>{redis.bindings.tcp.host}:{redis.bindings.tcp.port}</c>.</summary>
    string ConnectionStringExpression { get; }
}

/// <summary>A port the resource listens on (an Aspire endpoint; a "binding" in the manifest).</summary>
/// <param name="TargetPort">The port the process listens on inside its container; null lets the deployment choose.</param>
/// <param name="External">Reachable from outside the deployment (Aspire's <c>WithExternalHttpEndpoints</c>).</param>
public sealed record Binding(string Name, string Scheme, int? TargetPort = null, bool External = false)
{
    /// <summary>What the manifest calls the transport: HTTP for web endpoints, plain TCP otherwise.</summary>
    public string Transport => Scheme is "http" or "https" ? "http" : "tcp";
}

/// <summary>A named volume mounted into a container, so its data outlives the container (Aspire's <c>WithDataVolume</c>).</summary>
public sealed record Volume(string Name, string Target);

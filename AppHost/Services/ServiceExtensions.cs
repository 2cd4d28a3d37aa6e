using AppHost.Startup;
using Microsoft.Extensions.Configuration;

namespace AppHost.Services;

/// <summary>How the AppHost wires each of our services: its endpoint and health probe, its settings and replicas.</summary>
public static class ServiceExtensions
{
    public const string ReplicasSection = "Replicas";

    /// <summary>
    /// An HTTP endpoint and Aspire's probe of the service's <c>/health</c> (readiness, dependencies included), which
    /// <c>WaitFor</c> and the dashboard go by.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthProbe(this IResourceBuilder<ProjectResource> project)
    {
        if (!project.Resource.TryGetEndpoints(out var endpoints) || !endpoints.Any(endpoint => endpoint.Name == "http"))
        {
            project.WithHttpEndpoint(name: "http");
        }
        return project.WithHttpHealthCheck(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath);
    }

    /// <summary>
    /// The service's external HTTP endpoint at a fixed address, <paramref name="defaultUrl"/> unless <paramref name="key"/>
    /// sets another. Proxied, Aspire's proxy listens there and spreads requests over the replicas; not proxied, the
    /// service itself listens there (one instance) and sees its callers' own addresses.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublicHttpEndpoint(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, string key, string defaultUrl, bool isProxied = true)
    {
        var setting = CommandLine.OptionOrKey(key);
        var value = configuration[key] ?? defaultUrl;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/" || url.IsDefaultPort)
        {
            throw new StartupProblem($"{setting} must be an http URL with a port, such as {defaultUrl}: got '{value}'");
        }
        // Aspire.Hosting.Testing randomizes the ports of proxied endpoints, so a fixed one is not in the way of a test;
        // publishing the manifest listens on nothing.
        var randomized = isProxied && configuration.GetValue<bool>("DcpPublisher:RandomizePorts");
        if (!randomized && project.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            Ports.EnsureFree(url.Port, setting);
        }
        return project
            .WithHttpEndpoint(port: url.Port, name: "http", isProxied: isProxied)
            .WithExternalHttpEndpoints();
    }

    /// <summary>
    /// Passes the AppHost's configuration sections to the service as environment variables (<c>Worker:MinDelay</c> given to
    /// the run command as <c>Worker__MinDelay</c> becomes the service's <c>Worker__MinDelay</c>). Aspire gives a project
    /// only what the model says, so the sections a service reads are named here.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithFeatureSettings(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, params string[] sections)
    {
        foreach (var section in sections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }
        return project;
    }

    /// <summary>
    /// The setting <paramref name="key"/>, when given, as the secret parameter <paramref name="parameterName"/>, so that a
    /// published manifest asks for it instead of holding it.
    /// </summary>
    public static IResourceBuilder<ParameterResource>? AddSecretSetting(this IDistributedApplicationBuilder builder, string parameterName, string key) =>
        builder.Configuration[key] is null ? null : builder.AddParameterFromConfiguration(parameterName, key, secret: true);

    /// <summary>Instances from <c>Replicas:{shortName}</c> (<c>--replicas worker=3</c>); one by default.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicasFrom(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, string shortName)
    {
        var key = $"{ReplicasSection}:{shortName}";
        return configuration[key] switch
        {
            null => project,
            var value when int.TryParse(value, out var replicas) && replicas >= 1 => project.WithReplicas(replicas),
            var value => throw new StartupProblem($"{key} (--replicas {shortName}=N) must be a whole number of at least 1: got '{value}'"),
        };
    }

    /// <summary>A <c>Replicas:</c> entry that names no service is a typo worth one line, not a silently ignored setting.</summary>
    public static void CheckReplicaNames(this IConfiguration configuration, params string[] shortNames)
    {
        foreach (var entry in configuration.GetSection(ReplicasSection).GetChildren())
        {
            if (!shortNames.Contains(entry.Key))
            {
                throw new StartupProblem($"--replicas names no service '{entry.Key}': use {string.Join(", ", shortNames)}");
            }
        }
    }
}

namespace AppHost.Model;

/// <summary>
/// One of the solution's services (Aspire's <c>AddProject</c>): a .NET project that deploys as <c>project.v0</c> and
/// runs locally from its build output, in as many instances as <see cref="Replicas"/>.
/// </summary>
public sealed class ProjectResource(string name, string projectName, string shortName) : Resource(name)
{
    private readonly List<IResourceWithConnectionString> _references = [];

    /// <summary>The project's folder and file name: <c>{ProjectName}/{ProjectName}.csproj</c>; also its configuration section (<c>TaskApi:Url</c>).</summary>
    public string ProjectName { get; } = projectName;

    /// <summary>What <c>--replicas</c> accepts besides the resource name, e.g. <c>worker=3</c>.</summary>
    public string ShortName { get; } = shortName;

    /// <summary>The resources whose connection strings it gets; it starts only when they are up (Aspire's <c>WaitFor</c>).</summary>
    public IReadOnlyList<IResourceWithConnectionString> References => _references;

    public bool HasExternalHttpEndpoints { get; private set; }

    /// <summary>Answers 200 once the service and its dependencies are ready.</summary>
    public string? HealthCheckPath { get; private set; }

    /// <summary>Instances side by side; they share the services' Kafka consumer groups, so they split the partitions.</summary>
    public int Replicas { get; private set; } = 1;

    /// <summary>Where the first instance listens in a run; null, or any further instance: a free loopback port.</summary>
    public Uri? RunUrl { get; private set; }

    /// <summary>A page worth opening, shown in the resource table (Aspire's <c>WithUrl</c>).</summary>
    public (string Path, string DisplayText)? DisplayUrl { get; private set; }

    public IReadOnlyList<Binding> Bindings => HasExternalHttpEndpoints
        ? [new Binding("http", "http", External: true), new Binding("https", "https", External: true)]
        : [new Binding("http", "http")];

    /// <summary>What it gets in its environment, as manifest expressions, in a run and in a deployment alike.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var environment = new Dictionary<string, string>
            {
                // Aspire's defaults for .NET projects: exported log records carry exception and event attributes,
                // and the OTLP exporter retries from memory when the collector is briefly away.
                ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
                ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
                ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
                // Traces and metrics carry the resource's name wherever it runs.
                ["OTEL_SERVICE_NAME"] = Name,
            };
            foreach (var reference in _references)
            {
                environment[$"ConnectionStrings__{reference.Name}"] = Expressions.ConnectionString(reference);
            }
            return environment;
        }
    }

    public ProjectResource WithReference(IResourceWithConnectionString resource)
    {
        _references.Add(resource);
        return this;
    }

    public ProjectResource WithExternalHttpEndpoints()
    {
        HasExternalHttpEndpoints = true;
        return this;
    }

    public ProjectResource WithHttpHealthCheck(string path)
    {
        HealthCheckPath = path;
        return this;
    }

    public ProjectResource WithUrl(string path, string displayText)
    {
        DisplayUrl = (path, displayText);
        return this;
    }

    public ProjectResource WithRunUrl(Uri url)
    {
        RunUrl = url;
        return this;
    }

    public ProjectResource WithReplicas(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        Replicas = replicas;
        return this;
    }
}

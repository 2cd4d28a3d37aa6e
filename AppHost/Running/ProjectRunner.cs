using System.Net;
using AppHost.Model;

namespace AppHost.Running;

/// <summary>
/// A project's instances as child processes (<c>dotnet {Project}.dll</c> from its build output) with the
/// Aspire-convention environment: the model's (connection strings, OTEL_SERVICE_NAME...) resolved to this run's
/// values, plus the address to listen on. Each instance counts as up once its health endpoint answers 200.
/// Everything else in the AppHost's environment (OTEL_EXPORTER_OTLP_ENDPOINT, Worker__MinDelay...) is inherited.
/// </summary>
public sealed class ProjectRunner(ProjectResource project, RunValues values, ConsoleLog log) : ResourceRunner(project)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    // TaskWorker lets running tasks finish for up to Worker:ShutdownGrace (10 s) before it stops; a little more before it is killed.
    private static readonly StopPolicy Stopping = new(Posix.SigTerm, TimeSpan.FromSeconds(15));

    /// <summary>The dotnet host running the AppHost when started as <c>dotnet AppHost.dll</c>; otherwise the one on PATH.</summary>
    private static readonly string DotnetHost =
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private readonly List<(string Name, Uri Url)> _instances = [];
    private readonly List<SupervisedProcess> _processes = [];

    private string Assembly => SolutionLayout.ProjectAssembly(project.ProjectName);

    public override IReadOnlyList<Resource> Dependencies => project.References.Cast<Resource>().ToList();

    /// <summary>The resource name, or name-1, name-2... for several replicas.</summary>
    public override IEnumerable<string> ProcessNames => project.Replicas == 1
        ? [project.Name]
        : Enumerable.Range(1, project.Replicas).Select(replica => $"{project.Name}-{replica}");

    public override void CheckPrerequisites()
    {
        if (!File.Exists(Assembly))
        {
            throw new AppHostException($"{project.ProjectName} is not built ({Assembly} is missing): run dotnet build Tasks.sln");
        }
        foreach (var name in ProcessNames)
        {
            _instances.Add((name, _instances.Count == 0 && project.RunUrl is { } url ? CheckedRunUrl(url) : FreeLoopbackUrl()));
        }
    }

    /// <summary>
    /// Starts the first instance alone and the others once it is healthy: a service that prepares shared state on
    /// start-up (TaskApi migrates the database) does so once, not in a race between its replicas.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await StartInstancesAsync(_instances.Take(1), cancellationToken);
        await StartInstancesAsync(_instances.Skip(1), cancellationToken);
        foreach (var process in _processes)
        {
            process.Supervise();
        }
    }

    public override Task StopAsync(CancellationToken stopNow) => Task.WhenAll(_processes.Select(process => process.StopAsync(stopNow)));

    public override IEnumerable<ResourceRow> Rows => _processes.Select((process, index) =>
    {
        var url = _instances[index].Url;
        var details = new List<string>();
        if (project.DisplayUrl is { } display)
        {
            details.Add($"{display.DisplayText}: {new Uri(url, display.Path)}");
        }
        if (project.Replicas > 1)
        {
            details.Add($"replica {index + 1} of {project.Replicas}");
        }
        return new ResourceRow(process.Name, "healthy", process.Current.Id, url.ToString().TrimEnd('/'), string.Join("; ", details));
    });

    private Uri CheckedRunUrl(Uri url)
    {
        Ports.EnsureFree(Ports.ListenAddress(url), url.Port, $"set {AppHostSettings.Describe(AppHostSettings.UrlKey(project))}");
        return url;
    }

    /// <summary>Further replicas (and projects without a configured URL) listen on a free port of the same loopback address.</summary>
    private static Uri FreeLoopbackUrl() => new($"http://127.0.0.1:{Ports.Free(IPAddress.Loopback)}");

    private ProcessSpec Spec(string name, Uri url)
    {
        var environment = project.Environment.ToDictionary(variable => variable.Key, variable => values.Resolve(variable.Value));
        environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        // Aspire tells the replicas of one resource apart by the OpenTelemetry service instance id.
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={name}";
        // One line per log entry, with its time, so that each one carries the instance's name in front.
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss ";
        return new ProcessSpec(name, DotnetHost, [Assembly])
        {
            Environment = environment,
            // The content root, where the service finds its appsettings.json.
            WorkingDirectory = Path.GetDirectoryName(Assembly),
        };
    }

    private async Task StartInstancesAsync(IEnumerable<(string Name, Uri Url)> instances, CancellationToken cancellationToken)
    {
        var healthy = new List<Task>();
        foreach (var (name, url) in instances)
        {
            var process = new SupervisedProcess(Spec(name, url), Stopping, log);
            process.Start();
            _processes.Add(process);
            healthy.Add(WaitHealthyAsync(process, url, cancellationToken));
        }
        await Task.WhenAll(healthy);
    }

    private async Task WaitHealthyAsync(SupervisedProcess process, Uri url, CancellationToken cancellationToken)
    {
        if (project.HealthCheckPath is not { } healthPath)
        {
            return;
        }
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        string? lastAnswer = null;
        await Readiness.WaitAsync(process.Name, process.Current, async token =>
        {
            try
            {
                using var response = await http.GetAsync(healthPath, token);
                lastAnswer = $"{healthPath} answered {(int)response.StatusCode}";
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message;
                return false;
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
                lastAnswer = $"{healthPath} did not answer within {http.Timeout.TotalSeconds:0} s";
                return false;
            }
        }, StartTimeout, cancellationToken, () => lastAnswer);
    }
}

using AppHost.Model;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>
/// How this run differs from the defaults, read from configuration: environment variables (<c>TaskApi__Url</c>) and
/// the command-line options, which are shorthands for the same keys (<c>--api-url</c> sets <c>TaskApi:Url</c>).
/// </summary>
public sealed class AppHostSettings(IConfiguration configuration)
{
    public const string ApiUrlKey = "TaskApi:Url";
    public const string DataDirectoryKey = "AppHost:DataDirectory";
    public const string PostgresPortKey = "Postgres:Port";
    public const string RedisPortKey = "Redis:Port";
    public const string ReplicasSection = "Replicas";

    /// <summary>The command-line option that sets each configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Options = new Dictionary<string, string>
    {
        [ApiUrlKey] = "--api-url",
        [DataDirectoryKey] = "--data-dir",
        [ReplicasSection] = "--replicas",
    };

    /// <summary>Where the private PostgreSQL cluster and the Redis files live between runs; by default AppHost/.data.</summary>
    public string DataDirectory => Path.GetFullPath(configuration[DataDirectoryKey] ?? Path.Combine(SolutionLayout.AppHostDirectory, ".data"));

    /// <summary>The private PostgreSQL server's port; null: a free one.</summary>
    public int? PostgresPort => Port(PostgresPortKey);

    /// <summary>The private Redis server's port; null: a free one.</summary>
    public int? RedisPort => Port(RedisPortKey);

    /// <summary>A resource's connection string given from outside (<c>ConnectionStrings__kafka</c>...), which replaces starting it.</summary>
    public string? ExternalConnectionString(string resourceName) =>
        configuration.GetConnectionString(resourceName) is { Length: > 0 } connectionString ? connectionString : null;

    /// <summary>The configuration key of a project's URL: <c>TaskApi:Url</c>.</summary>
    public static string UrlKey(ProjectResource project) => $"{project.ProjectName}:Url";

    /// <summary>A key as messages name it, with its command-line option if it has one: "TaskApi:Url (--api-url)".</summary>
    public static string Describe(string key) => Options.TryGetValue(key, out var option) ? $"{key} ({option})" : key;

    /// <summary>Applies the project URLs and replica counts of this run to the model.</summary>
    public void ApplyTo(ApplicationModel model)
    {
        foreach (var project in model.Projects)
        {
            if (configuration[UrlKey(project)] is { } url)
            {
                project.WithRunUrl(ParseUrl(UrlKey(project), url));
            }
        }
        foreach (var entry in configuration.GetSection(ReplicasSection).GetChildren())
        {
            var project = model.FindProject(entry.Key) ?? throw new AppHostException(
                $"{Describe(ReplicasSection)} names no project '{entry.Key}': use {string.Join(", ", model.Projects.Select(p => p.ShortName))}");
            project.WithReplicas(ParseReplicas(entry.Path, entry.Value));
        }
    }

    private int? Port(string key) => configuration[key] switch
    {
        null => null,
        var value when int.TryParse(value, out var port) && port is > 0 and <= 65535 => port,
        var value => throw new AppHostException($"{key} must be a port number (1-65535): got '{value}'"),
    };

    private static Uri ParseUrl(string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.AbsolutePath == "/"
            ? url
            : throw new AppHostException($"{Describe(key)} must be an http URL with a port, such as {TasksApplication.DefaultApiUrl}: got '{value}'");

    private static int ParseReplicas(string key, string? value) =>
        int.TryParse(value, out var replicas) && replicas >= 1
            ? replicas
            : throw new AppHostException($"{key} must be a whole number of at least 1: got '{value}'");
}

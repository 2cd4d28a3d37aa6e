namespace AppHost.Model;

/// <summary>
/// A resource that deploys as a container image (<c>container.v0</c>). Locally the AppHost runs the same software
/// from this machine's packages instead, since no container engine runs on the build machines.
/// </summary>
public abstract class ContainerResource(string name, string image) : Resource(name)
{
    public string Image { get; } = image;

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Binding> Bindings { get; init; } = [];

    public IReadOnlyList<Volume> Volumes { get; init; } = [];

    /// <summary>Aspire's volume naming: application, resource, purpose.</summary>
    protected static Volume DataVolume(string resourceName, string target) => new($"tasks-{resourceName}-data", target);
}

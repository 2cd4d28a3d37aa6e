namespace AppHost.Model;

/// <summary>The application's resources in the order they were declared; each one's dependencies come before it.</summary>
public sealed class ApplicationModel(IReadOnlyList<Resource> resources)
{
    public IReadOnlyList<Resource> Resources { get; } = resources;

    public IEnumerable<ProjectResource> Projects => Resources.OfType<ProjectResource>();

    public Resource? Find(string name) => Resources.FirstOrDefault(resource => resource.Name == name);

    /// <summary>The project named <paramref name="name"/> by its resource name or its short name (<c>worker</c>).</summary>
    public ProjectResource? FindProject(string name) =>
        Projects.FirstOrDefault(project => project.Name == name || project.ShortName == name);
}

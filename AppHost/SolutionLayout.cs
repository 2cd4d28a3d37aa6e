using System.Reflection;

namespace AppHost;

/// <summary>Where the solution's projects and their build output are; recorded in the AppHost's assembly when it is built.</summary>
public static class SolutionLayout
{
    public static readonly string SolutionDirectory = Path.GetFullPath(Metadata("SolutionDirectory"));

    /// <summary>The configuration the AppHost was built in; the services it starts were built with it, in the same one.</summary>
    public static readonly string Configuration = Metadata("Configuration");

    public static string AppHostDirectory => Path.Combine(SolutionDirectory, "AppHost");

    public static string ProjectFile(string projectName) => Path.Combine(SolutionDirectory, projectName, projectName + ".csproj");

    public static string ProjectAssembly(string projectName) =>
        Path.Combine(SolutionDirectory, projectName, "bin", Configuration, "net10.0", projectName + ".dll");

    private static string Metadata(string key) =>
        typeof(SolutionLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

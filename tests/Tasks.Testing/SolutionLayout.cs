namespace Tasks.Testing;

/// <summary>Where the repository's files are, seen from a test or benchmark assembly in bin/&lt;Configuration&gt;/net10.0.</summary>
public static class SolutionLayout
{
    /// <summary>The folder of Tasks.sln.</summary>
    public static readonly string Directory = Find();

    /// <summary>The configuration the calling assembly was built in, which the services it starts were built in too.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tasks.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Tasks.sln not found above the test assembly.");
    }
}

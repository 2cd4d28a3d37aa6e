namespace AppHost.Startup;

/// <summary>
/// The AppHost's own options as the configuration keys they stand for, so that Aspire's command-line configuration
/// reads them: <c>--replicas worker=3 api=2</c> is <c>Replicas:worker=3 Replicas:api=2</c>, <c>--api-url URL</c> is
/// <c>TaskApi:Url</c>, <c>--identity-url URL</c> is <c>Identity:Url</c>, <c>--console-url URL</c> is <c>Console:Url</c>, <c>--data-dir DIR</c> is <c>AppHost:DataDirectory</c>.
/// Every other argument passes unchanged.
/// </summary>
public static class CommandLine
{
    private static readonly Dictionary<string, string> SingleValueOptions = new()
    {
        ["--api-url"] = "TaskApi:Url",
        ["--identity-url"] = "Identity:Url",
        ["--console-url"] = "Console:Url",
        ["--data-dir"] = "AppHost:DataDirectory",
    };

    public static string[] Expand(string[] args)
    {
        var expanded = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (SingleValueOptions.TryGetValue(args[i], out var key))
            {
                expanded.Add($"--{key}={Value(args, ++i, args[i - 1])}");
            }
            else if (args[i] == "--replicas")
            {
                // Every following project=count word belongs to the option.
                do
                {
                    var assignment = Value(args, ++i, "--replicas");
                    if (assignment.Split('=') is not [var project, var count] || project.Length == 0)
                    {
                        throw new StartupProblem($"--replicas takes project=count, e.g. worker=3: got '{assignment}'");
                    }
                    expanded.Add($"--Replicas:{project}={count}");
                }
                while (i + 1 < args.Length && !args[i + 1].StartsWith('-'));
            }
            else
            {
                expanded.Add(args[i]);
            }
        }
        return [.. expanded];
    }

    /// <summary>How a message names a setting: <c>--api-url or TaskApi:Url</c>, or the key alone when no option stands for it.</summary>
    public static string OptionOrKey(string key) =>
        SingleValueOptions.FirstOrDefault(option => option.Value == key).Key is { } option ? $"{option} or {key}" : key;

    private static string Value(string[] args, int index, string option) =>
        index < args.Length && !args[index].StartsWith("--", StringComparison.Ordinal)
            ? args[index]
            : throw new StartupProblem($"{option} needs a value");
}

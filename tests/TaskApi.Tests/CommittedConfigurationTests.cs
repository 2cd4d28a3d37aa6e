using System.Text.Json;
using System.Text.RegularExpressions;
using Tasks.Testing;

namespace TaskApi.Tests;

/// <summary>What the repository's configuration files hold: no secret anyone with the repository could use.</summary>
public sealed partial class CommittedConfigurationTests
{
    [Fact]
    public void ConfigurationFiles_Committed_HoldNoKeyTokenSecretOrPassword()
    {
        var files = Directory.EnumerateFiles(SolutionLayout.Directory, "*.json", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("appsettings", StringComparison.Ordinal) || name == "launchSettings.json"))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .ToList();

        var secrets = files.SelectMany(path => Secrets(JsonDocument.Parse(File.ReadAllText(path)).RootElement, "")
            .Select(setting => $"{Path.GetRelativePath(SolutionLayout.Directory, path)}: {setting}")).ToList();

        Assert.Contains(files, path => path.EndsWith(Path.Combine("TaskApi", "appsettings.Development.json"), StringComparison.Ordinal));
        Assert.Empty(secrets);
    }

    /// <summary>Settings named like a secret (a key, token, secret or password, but not a connection string) with a value.</summary>
    private static IEnumerable<string> Secrets(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Secrets(p.Value, path.Length == 0 ? p.Name : $"{path}:{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((item, i) => Secrets(item, $"{path}:{i}")),
        JsonValueKind.String when SecretName().IsMatch(path.Split(':')[^1]) && element.GetString() is { Length: > 0 } => [path],
        _ => [],
    };

    [GeneratedRegex(@"(key|token|secret|password)\z", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}

using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using AppHost.Model;

namespace AppHost.Running;

/// <summary>
/// What the manifest's expressions stand for in this run: the hosts and ports the AppHost allocated, generated
/// secrets, connection strings of resources given from outside. Resolving a project's environment with these is
/// what makes the run and the manifest two readings of one model.
/// </summary>
public sealed partial class RunValues(ApplicationModel model)
{
    private const string ConnectionStringSuffix = ".connectionString";

    private readonly ConcurrentDictionary<string, string> _values = new();

    /// <param name="expression">A placeholder as <see cref="Expressions"/> builds it, e.g. <c>{redis.bindings.tcp.port}</c>.</param>
    public void Set(string expression, string value) => _values[expression.Trim('{', '}')] = value;

    /// <summary>Replaces every placeholder in <paramref name="template"/>; a connection string resolves through its resource's expression unless it was set.</summary>
    public string Resolve(string template) => Placeholder().Replace(template, match => Lookup(match.Groups["key"].Value));

    private string Lookup(string key)
    {
        if (_values.TryGetValue(key, out var value))
        {
            return value;
        }
        if (key.EndsWith(ConnectionStringSuffix, StringComparison.Ordinal)
            && model.Find(key[..^ConnectionStringSuffix.Length]) is IResourceWithConnectionString resource)
        {
            return Resolve(resource.ConnectionStringExpression);
        }
        throw new InvalidOperationException($"{{{key}}} has no value yet: a resource started before one it depends on.");
    }

    [GeneratedRegex(@"\{(?<key>[^{}]+)\}")]
    private static partial Regex Placeholder();
}

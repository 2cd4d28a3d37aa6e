namespace AppHost.Running;

/// <summary>
/// The AppHost's console: every line starts with the name of the process that wrote it, padded so that the
/// text of all processes lines up.
/// </summary>
public sealed class ConsoleLog
{
    public const string AppHostSource = "apphost";

    private int _width = AppHostSource.Length;

    /// <summary>Pads prefixes to the longest of <paramref name="sources"/>.</summary>
    public void AlignTo(IEnumerable<string> sources) => _width = sources.Append(AppHostSource).Max(source => source.Length);

    public void Write(string source, string line) => Console.Out.WriteLine($"{source.PadRight(_width)} | {line}");

    /// <summary>A line of the AppHost's own.</summary>
    public void Info(string line) => Write(AppHostSource, line);

    /// <summary>Several lines in one write, so that no child's line lands in between.</summary>
    public void WriteBlock(string text) => Console.Out.Write(text);
}

using System.Text;

namespace AppHost.Running;

/// <summary>The table printed once everything is up: what runs, where to reach it, which process it is.</summary>
public static class ResourceTable
{
    private static readonly string[] Headers = ["NAME", "STATE", "PID", "ENDPOINT", "DETAILS"];

    public static string Format(IEnumerable<ResourceRow> rows)
    {
        var cells = rows
            .Select(row => new[] { row.Name, row.State, row.Pid?.ToString() ?? "-", row.Endpoint, row.Details })
            .Prepend(Headers)
            .ToList();
        var widths = Enumerable.Range(0, Headers.Length).Select(column => cells.Max(line => line[column].Length)).ToArray();
        var table = new StringBuilder();
        foreach (var line in cells)
        {
            var padded = line.Select((cell, column) => cell.PadRight(widths[column]));
            table.Append(("  " + string.Join("  ", padded)).TrimEnd()).Append('\n');
        }
        return table.ToString();
    }
}

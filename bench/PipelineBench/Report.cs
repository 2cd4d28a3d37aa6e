using System.Diagnostics;
using System.Text;

namespace PipelineBench;

/// <summary>Collects the figures of every part and prints them as tables at the end.</summary>
public sealed class Report
{
    private static readonly long Started = Stopwatch.GetTimestamp();
    private readonly List<(string Part, string Measure, string Value, string Target, string Verdict)> _figures = [];
    private readonly List<(string Window, CpuUsage Usage)> _cpu = [];
    private readonly List<string> _notes = [];

    public static void Log(string message) =>
        Console.WriteLine($"[{Stopwatch.GetElapsedTime(Started).TotalSeconds,6:0.0} s] {message}");

    public void Figure(string part, string measure, string value, string target = "", bool? met = null) =>
        _figures.Add((part, measure, value, target, met switch { true => "MET", false => "MISSED", null => "" }));

    public void Cpu(string window, CpuUsage usage)
    {
        _cpu.Add((window, usage));
        Log($"CPU over {window}: {Describe(usage)}");
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Log($"note: {note}");
    }

    public static string Describe(CpuUsage u) =>
        $"Identity {u.Of("Identity"):0}%, TaskApi {u.Of("TaskApi"):0}%, TaskWorker {u.Of("TaskWorker"):0}%, Hangfire {u.Of("Hangfire"):0}%, PostgreSQL {u.Postgres:0}%, " +
        $"Kafka broker+bench producer {u.Broker:0}%, bench other {u.BenchOther:0}%, wrk {u.Children:0}%, " +
        $"machine {u.Machine:0}% of {Environment.ProcessorCount * 100}%, not ours {u.Others:0}% (busiest: {u.TopOthers})";

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("==================================================== RESULTS ====================================================");
        output.WriteLine(Table(
            ["part", "measure", "value", "target", "verdict"],
            _figures.Select(f => new[] { f.Part, f.Measure, f.Value, f.Target, f.Verdict })));
        if (_cpu.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("CPU during each measurement window, percent of one core (this machine: " +
                $"{Environment.ProcessorCount} cores = {Environment.ProcessorCount * 100}%). 'broker' = the embedded Kafka cluster's " +
                "threads (and the bench's own Kafka producer threads) inside the bench process; 'not ours' = " +
                "machine total minus everything listed: other processes on the machine, kernel threads, interrupts.");
            output.WriteLine(Table(
                ["window", "s", "Identity", "TaskApi", "TaskWorker", "Hangfire", "PostgreSQL", "broker", "bench other", "wrk", "machine", "not ours", "busiest other processes"],
                _cpu.Select(c => new[]
                {
                    c.Window, $"{c.Usage.Seconds:0.0}", $"{c.Usage.Of("Identity"):0}%", $"{c.Usage.Of("TaskApi"):0}%", $"{c.Usage.Of("TaskWorker"):0}%", $"{c.Usage.Of("Hangfire"):0}%",
                    $"{c.Usage.Postgres:0}%", $"{c.Usage.Broker:0}%", $"{c.Usage.BenchOther:0}%", $"{c.Usage.Children:0}%",
                    $"{c.Usage.Machine:0}%", $"{c.Usage.Others:0}%", c.Usage.TopOthers,
                })));
        }
        if (_notes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Notes:");
            foreach (var note in _notes)
            {
                output.WriteLine($"  - {note}");
            }
        }
    }

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        string Line(string[] row) => "| " + string.Join(" | ", row.Select((cell, i) => cell.PadRight(widths[i]))) + " |";
        text.AppendLine(Line(header));
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in all.Skip(1))
        {
            text.AppendLine(Line(row));
        }
        return text.ToString().TrimEnd();
    }
}

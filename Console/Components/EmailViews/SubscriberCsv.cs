using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using TasksConsole.Api;

namespace TasksConsole.Components.EmailViews;

/// <summary>
/// A CSV file of subscribers as POST /lists/{id}/subscribers takes them: a header row with an <c>email</c> column, an
/// optional <c>name</c> column, and any other column a field (recipient.fields.&lt;column&gt;) of text. TaskApi checks the
/// rows; this only reads the file and remembers each row's line, so that its problems name the line to fix.
/// </summary>
public static partial class SubscriberCsv
{
    /// <summary>TaskApi's most rows of one import.</summary>
    public const int MaxRows = 10_000;

    /// <summary>The largest file read: 10,000 rows of a few hundred bytes each, with room to spare.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    /// <summary>The longest row read: an unclosed quote would otherwise make the rest of the file one row.</summary>
    private const int MaxRecordBytes = 128 * 1024;

    public static SubscriberCsvFile Read(TextReader text)
    {
        // The separator is detected (, ; tab |); a quoted field may hold line breaks, so each row's own first line is kept.
        var options = new CsvReaderOptions { TrimWhitespace = true, TrackLineNumbers = true, MaxRecordSize = MaxRecordBytes };
        using var csv = CsvReader.Create(text, options, false);
        try
        {
            var columns = csv.Headers.Select(column => column.Trim()).ToArray();
            if (columns.Length == 0)
            {
                return SubscriberCsvFile.Refused("The file is empty: it needs a header row with an 'email' column.");
            }
            var email = Array.FindIndex(columns, column => column.Equals("email", StringComparison.OrdinalIgnoreCase));
            if (email < 0)
            {
                return SubscriberCsvFile.Refused("The header row has no 'email' column.");
            }
            var name = Array.FindIndex(columns, column => column.Equals("name", StringComparison.OrdinalIgnoreCase));

            var subscribers = new List<SubscriberRequest>();
            var lines = new List<int>();
            while (csv.Read())
            {
                if (subscribers.Count == MaxRows)
                {
                    return SubscriberCsvFile.Refused($"The file has more than {MaxRows:N0} rows; import it in parts.");
                }
                // A short row reads its missing cells as empty; TaskApi names what that leaves invalid.
                var fields = new Dictionary<string, string>();
                for (var column = 0; column < Math.Min(columns.Length, csv.FieldCount); column++)
                {
                    if (column != email && column != name && csv.GetString(column) is { Length: > 0 } value)
                    {
                        fields[columns[column]] = value;
                    }
                }
                subscribers.Add(new SubscriberRequest
                {
                    Email = csv.GetString(email),
                    Name = name >= 0 && csv.GetString(name) is { Length: > 0 } displayName ? displayName : null,
                    Fields = fields,
                });
                lines.Add((int)csv.LineNumber);
            }
            return subscribers.Count == 0
                ? SubscriberCsvFile.Refused("The file has a header row but no subscribers.")
                : new SubscriberCsvFile(subscribers, lines, null);
        }
        catch (CsvFormatException exception)
        {
            return SubscriberCsvFile.Refused($"The file is not valid CSV: {exception.Message}");
        }
    }

    /// <summary>
    /// TaskApi's messages about the rows (keyed <c>[3].email</c>), each named by the line of the file it came from; other
    /// messages (the body as a whole) as they are.
    /// </summary>
    public static IEnumerable<string> MessagesByLine(ApiProblemException problem, IReadOnlyList<int> lines) =>
        problem.Errors
            .Select(error => (Row: RowOf(error.Key), error.Key, error.Value))
            .OrderBy(error => error.Row ?? -1)
            .SelectMany(error => error.Value.Select(message => error.Row is { } row && row < lines.Count
                ? $"Line {lines[row]}: {FieldOf(error.Key)}{message}"
                : message));

    private static int? RowOf(string key) => RowKey().Match(key) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static string FieldOf(string key) => RowKey().Match(key).Groups[2].Value is { Length: > 0 } field ? $"{field}: " : "";

    [GeneratedRegex(@"^\[(\d+)\](?:\.(.+))?$")]
    private static partial Regex RowKey();
}

/// <summary>A file read by <see cref="SubscriberCsv"/>: its rows and the line of each, or why it was not read.</summary>
public sealed record SubscriberCsvFile(IReadOnlyList<SubscriberRequest> Subscribers, IReadOnlyList<int> Lines, string? Refusal)
{
    public static SubscriberCsvFile Refused(string why) => new([], [], why);
}

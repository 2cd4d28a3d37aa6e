using System.Text.RegularExpressions;
using CsvHelper;
using TasksConsole.Api;

namespace TasksConsole.Components.SmsViews;

/// <summary>A line of a clients' CSV file that cannot be imported, and why.</summary>
/// <param name="Line">The file's line (1 is the header); null for a problem of the whole file.</param>
/// <param name="Message">Why.</param>
public sealed record ClientCsvProblem(long? Line, string Message)
{
    public override string ToString() => Line is { } line ? $"Line {line}: {Message}" : Message;
}

/// <summary>
/// A CSV file of clients as <c>POST /clients/import</c> takes them (it takes JSON only): a header naming the columns
/// <c>phone</c> and optionally <c>operatorCode</c>, <c>tag</c> and <c>timezone</c> (in any order and letter case), then one
/// client a line. Lines CsvHelper finds malformed are named here; the rows TaskApi refuses are named by its problem,
/// whose fields (<c>[3].phone</c>) count the rows sent, which this maps back to the file's lines.
/// </summary>
public sealed partial class ClientCsv
{
    private static readonly string[] OptionalColumns = ["operatorCode", "tag", "timezone"];

    private readonly List<long> _lineOfRow = [];

    private ClientCsv()
    {
    }

    /// <summary>The clients, in the file's order: what is sent when <see cref="Problems"/> is empty.</summary>
    public List<ClientRequest> Rows { get; } = [];

    /// <summary>The lines that are not CSV as it should be (then nothing is sent).</summary>
    public List<ClientCsvProblem> Problems { get; } = [];

    public static async Task<ClientCsv> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var csv = new ClientCsv();
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            // A quote left open would otherwise swallow the rest of the file into one field.
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = record => csv.Problems.Add(new ClientCsvProblem(record.LineNumber, Describe(record.Reason))),
        };
        await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        await reader.ReadHeaderAsync(cancellationToken);
        if (!reader.TryGetFieldIndex("phone", out var phoneColumn))
        {
            csv.Problems.Add(new ClientCsvProblem(1, $"The first line must be a header naming the column phone (and optionally {string.Join(", ", OptionalColumns)})."));
            return csv;
        }
        var optional = OptionalColumns.Select(name => reader.TryGetFieldIndex(name, out var column) ? column : -1).ToArray();
        while (await reader.ReadAsync(cancellationToken))
        {
            csv._lineOfRow.Add(reader.LineNumber);
            csv.Rows.Add(new ClientRequest
            {
                Phone = reader.GetString(phoneColumn) ?? "",
                OperatorCode = Optional(reader, optional[0]),
                Tag = Optional(reader, optional[1]),
                Timezone = Optional(reader, optional[2]),
            });
        }
        if (csv.Rows.Count == 0 && csv.Problems.Count == 0)
        {
            csv.Problems.Add(new ClientCsvProblem(null, "The file has no clients after its header."));
        }
        return csv;
    }

    /// <summary>
    /// The problems of TaskApi's answer to the import of <see cref="Rows"/>, each failed row named by its line in the file
    /// (a repeated phone, which TaskApi names by its first row, too), in the file's order.
    /// </summary>
    public IEnumerable<ClientCsvProblem> ProblemsOf(ApiProblemException problem) =>
        problem.Errors
            .SelectMany(error => error.Value.Select(message => (Field: RowField().Match(error.Key), Message: message)))
            .Select(failure => failure.Field.Success && LineOf(failure.Field.Groups["row"].Value) is { } line
                ? new ClientCsvProblem(line, RowReference().Replace(failure.Message, row => LineOf(row.Groups["row"].Value) is { } first ? $"line {first}" : row.Value))
                : new ClientCsvProblem(null, failure.Message))
            .OrderBy(failure => failure.Line ?? long.MaxValue);

    private long? LineOf(string row) => int.TryParse(row, out var index) && index < _lineOfRow.Count ? _lineOfRow[index] : null;

    private static string? Optional(CsvReader reader, int column) =>
        column < 0 || reader.GetString(column) is not { Length: > 0 } value ? null : value;

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside a field that does not start with one (quote the whole field, doubling the quote).",
        CsvMalformedReason.TextAfterClosingQuote => "text after a field's closing quote.",
        CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => "a quote that is not closed on its line.",
        CsvMalformedReason.FieldCountMismatch => "not as many fields as the header names.",
        _ => $"malformed CSV ({reason}).",
    };

    /// <summary>A field of TaskApi's problem about one row: <c>[3]</c> or <c>[3].phone</c>.</summary>
    [GeneratedRegex(@"^\[(?<row>[0-9]+)\]")]
    private static partial Regex RowField();

    /// <summary>A row named in a message ("The phone duplicates row [0]").</summary>
    [GeneratedRegex(@"row \[(?<row>[0-9]+)\]")]
    private static partial Regex RowReference();
}

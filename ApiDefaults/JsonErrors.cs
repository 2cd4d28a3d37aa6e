using System.Text.Json;

namespace Tasks.ApiDefaults;

/// <summary>Words for a JSON parse failure that a client can act on, for problem details and dead-letter reasons alike.</summary>
public static class JsonErrors
{
    /// <summary>
    /// The field as the validators name it: "$.name" is "name", "$.filter.tags[0]" is "filter.tags[0]", and in a document
    /// that is an array "$[3].phone" is "[3].phone"; "$" (or no path) is the document itself.
    /// </summary>
    public static string? FieldOf(JsonException json) => json.Path switch
    {
        ['$', '.', _, ..] path => path[2..],
        ['$', '[', _, ..] path => path[1..],
        _ => null,
    };

    public static string Describe(JsonException json)
    {
        var at = $"{json.Path ?? "$"} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})";
        // "could not be converted to <.NET type>" is a wrong JSON type; the .NET type name means nothing to a client.
        if (json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return $"The JSON value at {at} has the wrong type.";
        }
        // Other messages end with " Path: $.x | LineNumber: 0 | BytePositionInLine: 9." which 'at' already says.
        var pathAt = json.Message.IndexOf(" Path: ", StringComparison.Ordinal);
        var reason = pathAt < 0 ? json.Message : json.Message[..pathAt];
        return $"Invalid JSON at {at}: {reason}";
    }
}

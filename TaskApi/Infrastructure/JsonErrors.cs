using System.Text.Json;

namespace TaskApi.Infrastructure;

/// <summary>Words for a JSON parse failure that a client can act on, for problem details and dead-letter reasons alike.</summary>
public static class JsonErrors
{
    /// <summary>
    /// "$.name" and "$.payload.a[0]" name the top-level field; in a document that is an array, "$[3].phone.x" names the
    /// element and its field ("[3].phone") and "$[3]" the element; "$" (or no path) is the document itself.
    /// </summary>
    public static string? FieldOf(JsonException json)
    {
        if (json.Path is not { } path || path.Length < 2 || path[0] != '$')
        {
            return null;
        }
        if (path[1] == '[' && path.IndexOf(']') is > 2 and var close && path[2..close].All(char.IsAsciiDigit))
        {
            var element = path[1..(close + 1)];
            return TopLevelField(path[(close + 1)..]) is { } field ? $"{element}.{field}" : element;
        }
        return TopLevelField(path[1..]);
    }

    /// <summary>"name" of ".name.a[0]"; null unless the path goes into a field.</summary>
    private static string? TopLevelField(string path)
    {
        if (!path.StartsWith('.'))
        {
            return null;
        }
        var field = path[1..];
        var end = field.IndexOfAny(['.', '[']);
        return end < 0 ? field : field[..end];
    }

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

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Tasks.Shared;

namespace TaskApi.Infrastructure;

/// <summary>
/// Reads an ISO-8601 timestamp that states its offset ("Z" or "+02:00"). The default converter would read a
/// timestamp without one in the server's time zone, which is rarely what the client meant.
/// </summary>
public sealed partial class OffsetRequiredDateTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("Expected an ISO-8601 timestamp string.");
        if (!EndsWithOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new JsonException($"'{LogText.Escaped(text)}' is not an ISO-8601 timestamp with an offset, such as 2026-11-23T10:00:00Z or 2026-11-23T12:00:00+02:00.");
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:\d{2})$")]
    private static partial Regex EndsWithOffset();
}

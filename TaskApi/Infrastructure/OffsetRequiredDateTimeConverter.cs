using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Tasks.Shared;

namespace TaskApi.Infrastructure;

/// <summary>
/// Reads an ISO-8601 timestamp that states its offset ("Z" or "+02:00") and lies within <see cref="AcceptedTimes"/>.
/// The default converter would read a timestamp without an offset in the server's time zone, which is rarely what the
/// client meant; one near the ends of the calendar would make later arithmetic on it overflow.
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
        if (!AcceptedTimes.Contains(value))
        {
            throw new JsonException($"The timestamp must be {AcceptedTimes.Range} (UTC).");
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    // \z, not $: .NET's $ also matches before a final line break.
    [GeneratedRegex(@"(Z|z|[+-]\d{2}:\d{2})\z")]
    private static partial Regex EndsWithOffset();
}

using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TaskApi.Infrastructure.Outbox;

/// <summary>One Kafka header as stored: its name and its value's bytes (null: a header without a value).</summary>
public sealed record RecordHeader(string Name, byte[]? Value);

/// <summary>
/// A record's headers in a <c>jsonb</c> column: an array of <c>{"name": ..., "value": base64 or null}</c>, in the record's
/// order and with repeated names kept, as Kafka has them.
/// </summary>
public static class RecordHeaders
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ValueConverter<IReadOnlyList<RecordHeader>, string> Converter = new(
        headers => ToJson(headers),
        json => FromJson(json));

    // Compared by their JSON: two lists are the same headers when they serialize alike (byte arrays compare by content).
    private static readonly ValueComparer<IReadOnlyList<RecordHeader>> Comparer = new(
        (a, b) => ToJson(a!) == ToJson(b!),
        headers => ToJson(headers).GetHashCode(StringComparison.Ordinal),
        headers => headers.ToList());

    /// <summary>The headers of a Kafka record, in order.</summary>
    public static List<RecordHeader> Of(Headers? headers) =>
        headers is null ? [] : headers.Select(header => new RecordHeader(header.Key, header.GetValueBytes())).ToList();

    public static string ToJson(IReadOnlyList<RecordHeader> headers) => JsonSerializer.Serialize(headers, Json);

    public static IReadOnlyList<RecordHeader> FromJson(string json) => JsonSerializer.Deserialize<List<RecordHeader>>(json, Json)!;

    /// <summary>Maps a property of headers to a <c>jsonb</c> column of that name.</summary>
    public static PropertyBuilder IsHeadersColumn(this PropertyBuilder property, string columnName) =>
        property.HasColumnName(columnName).HasColumnType("jsonb").HasConversion(Converter, Comparer);
}

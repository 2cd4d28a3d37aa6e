using Npgsql;
using NpgsqlTypes;

namespace TaskApi.Infrastructure;

/// <summary>Array parameters of nullable values, for the <c>unnest(...)</c> batch updates of the status consumers.</summary>
public static class NpgsqlArrays
{
    public static NpgsqlParameter Of<T>(string name, NpgsqlDbType type, IEnumerable<T?> values) where T : struct =>
        new(name, NpgsqlDbType.Array | type) { Value = values.Select(v => v is { } value ? (object)value : DBNull.Value).ToArray() };

    public static NpgsqlParameter Of(string name, NpgsqlDbType type, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    /// <summary>An error text cut to its column's length.</summary>
    public static string? Truncated(string? text, int maxLength) => text is { Length: var length } && length > maxLength ? text[..maxLength] : text;
}

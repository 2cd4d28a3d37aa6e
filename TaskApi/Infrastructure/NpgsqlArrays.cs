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

    /// <summary>
    /// A text cut to its column's length in UTF-16 units, never between the two halves of a surrogate pair: PostgreSQL
    /// stores UTF-8, and Npgsql refuses a lone surrogate, which would fail the whole batch every time.
    /// </summary>
    public static string? Truncated(string? text, int maxLength) => text switch
    {
        null => null,
        { Length: var length } when length <= maxLength => text,
        _ when char.IsHighSurrogate(text[maxLength - 1]) => text[..(maxLength - 1)],
        _ => text[..maxLength],
    };
}

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TaskApi.Infrastructure;

public static class TextRules
{
    /// <summary>
    /// True for text PostgreSQL can store and a reader can see: no control characters (PostgreSQL
    /// rejects NUL) and no unpaired surrogates (they cannot be encoded as UTF-8).
    /// </summary>
    public static bool IsPrintable(string? text) => text is null || AllRunes(text, rune => !Rune.IsControl(rune));

    /// <summary>True for text PostgreSQL can store: no NUL and no unpaired surrogates (line breaks and tabs are fine).</summary>
    public static bool IsStorable(string text) => AllRunes(text, rune => rune.Value != 0);

    /// <summary>
    /// False when a string or property name in the JSON escapes an unpaired surrogate ("\ud800"):
    /// such text is syntactically JSON but is not Unicode, and no JSON writer (ours included) can emit it again.
    /// </summary>
    public static bool HasOnlyValidUnicode(JsonElement json)
    {
        try
        {
            return Visit(json);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Visit(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() is not null,
            JsonValueKind.Array => element.EnumerateArray().All(Visit),
            JsonValueKind.Object => element.EnumerateObject().All(property => property.Name is not null && Visit(property.Value)),
            _ => true,
        };
    }

    private static bool AllRunes(string text, Func<Rune, bool> allowed)
    {
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done || !allowed(rune))
            {
                return false;
            }
            remaining = remaining[consumed..];
        }
        return true;
    }
}

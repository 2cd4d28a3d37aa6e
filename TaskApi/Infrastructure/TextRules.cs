using System.Buffers;
using System.Text;

namespace TaskApi.Infrastructure;

public static class TextRules
{
    /// <summary>
    /// True for text PostgreSQL can store and a reader can see: no control characters (PostgreSQL
    /// rejects NUL) and no unpaired surrogates (they cannot be encoded as UTF-8).
    /// </summary>
    public static bool IsPrintable(string? text)
    {
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done || Rune.IsControl(rune))
            {
                return false;
            }
            remaining = remaining[consumed..];
        }
        return true;
    }
}

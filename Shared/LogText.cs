using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tasks.Shared;

/// <summary>
/// Values from outside (Kafka keys and values, request values) as they may appear inside a text that is logged or
/// reported: escaped as in a JSON string, so a CR or LF in them cannot start a forged line of its own, and cut short.
/// </summary>
public static class LogText
{
    /// <summary>The most characters of a value that are kept; the rest is replaced by "…".</summary>
    public const int MaxLength = 200;

    public static string Escaped(string? value)
    {
        if (value is null)
        {
            return "null";
        }
        var length = Math.Min(value.Length, MaxLength);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            // Never half a character: a lone surrogate is not text.
            length--;
        }
        var escaped = JsonEncodedText.Encode(value.AsSpan(0, length), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return length < value.Length ? escaped + "…" : escaped;
    }

    /// <summary>As <see cref="Escaped"/>, and null stays null: for an optional value logged as a parameter of its own.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? EscapedIfAny(string? value) => value is null ? null : Escaped(value);
}

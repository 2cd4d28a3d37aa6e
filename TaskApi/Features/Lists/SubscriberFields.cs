using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists;

/// <summary>
/// The rules of a subscriber's fields: a JSON object whose keys templates name as <c>recipient.fields.&lt;key&gt;</c>,
/// and whose values are any JSON that PostgreSQL's jsonb keeps as written and Liquid can compute with.
/// </summary>
public static partial class SubscriberFields
{
    public const int MaxBytes = 64 * 1024;
    public const int MaxKeyLength = 100;

    /// <summary>The decimal places (and the exponent's bound) of a number a .NET decimal holds, as Liquid's (Fluid's) numbers are.</summary>
    public const int MaxDecimalPlaces = 28;

    public const string NumberRule = "numbers must fit a decimal: below 7.9e28 in magnitude, at most 28 decimal places, " +
        "and an exponent, if any, from -28 to 28";

    /// <summary>What is wrong with <paramref name="fields"/>, for a validation message; null when nothing is.</summary>
    public static string? ProblemOf(JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return $"'fields' must be a JSON object such as {{\"first_name\": \"Ana\"}}, not {fields.ValueKind.ToString().ToLowerInvariant()}.";
        }
        var bytes = JsonMarshal.GetRawUtf8Value(fields).Length;
        if (bytes > MaxBytes)
        {
            return $"'fields' must be at most {MaxBytes} bytes of JSON; it has {bytes}.";
        }
        try
        {
            foreach (var field in fields.EnumerateObject())
            {
                if (field.Name.Length > MaxKeyLength || !Key().IsMatch(field.Name))
                {
                    return $"'fields' key '{Shortened(field.Name)}' must be 1 to {MaxKeyLength} ASCII letters, digits or underscores, not " +
                        "starting with a digit (templates name it as recipient.fields.<key>).";
                }
            }
            return ProblemIn(fields) is { } problem ? $"'fields{problem.At}' {problem.Reason}." : null;
        }
        catch (InvalidOperationException)
        {
            // GetString and Name refuse an escaped unpaired surrogate ("\ud800"): syntactically JSON, but not text.
            return "'fields' must not contain unpaired surrogate escapes such as \\ud800.";
        }
    }

    /// <summary>The first problem inside <paramref name="value"/>: where, relative to it (".a[2]"), and what.</summary>
    private static (string At, string Reason)? ProblemIn(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => ObjectProblem(value),
        JsonValueKind.Array => ArrayProblem(value),
        // jsonb cannot hold a NUL character.
        JsonValueKind.String when !TextRules.IsStorable(value.GetString()!) => ("", "must not contain \\u0000"),
        JsonValueKind.Number when !FitsDecimal(value) => ("", $"is {Shortened(value.GetRawText())}; {NumberRule}"),
        _ => null,
    };

    private static (string At, string Reason)? ArrayProblem(JsonElement array)
    {
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (ProblemIn(item) is { } problem)
            {
                return ($"[{index}]{problem.At}", problem.Reason);
            }
            index++;
        }
        return null;
    }

    private static (string At, string Reason)? ObjectProblem(JsonElement value)
    {
        // jsonb would keep only the last of a repeated key, silently.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            if (!TextRules.IsStorable(field.Name))
            {
                return ("", "has a key with \\u0000");
            }
            if (!keys.Add(field.Name))
            {
                return ($".{Shortened(field.Name)}", "is given twice; give each key once");
            }
            if (ProblemIn(field.Value) is { } problem)
            {
                return ($".{Shortened(field.Name)}{problem.At}", problem.Reason);
            }
        }
        return null;
    }

    /// <summary>
    /// Also what jsonb gives back at about the length it was written: it expands exponents, so 1e131071 (8 bytes)
    /// would come back as 131,072 digits, and 1e-20000 is beyond its numeric type.
    /// </summary>
    private static bool FitsDecimal(JsonElement number)
    {
        if (!number.TryGetDecimal(out _))
        {
            return false;
        }
        var text = JsonMarshal.GetRawUtf8Value(number);
        var exponentAt = text.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var point = mantissa.IndexOf((byte)'.');
        var decimalPlaces = point < 0 ? 0 : mantissa.Length - point - 1;
        if (exponentAt < 0)
        {
            return decimalPlaces <= MaxDecimalPlaces;
        }
        return int.TryParse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
            && exponent is >= -MaxDecimalPlaces and <= MaxDecimalPlaces
            && decimalPlaces - exponent <= MaxDecimalPlaces;
    }

    // A hostile key or number may be 64 KiB long; the message needs only its start.
    private static string Shortened(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>A Liquid variable name: ASCII letters, digits and underscores, not starting with a digit (<c>\z</c>: no final line break either).</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Key();
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace TasksConsole.Components.Shared;

/// <summary>JSON indented for reading.</summary>
public static class PrettyJson
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Shown as text (the page encodes it), so characters need no JSON escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// <paramref name="json"/> indented; as it came when it cannot be written again (TaskApi keeps a payload verbatim, and
    /// an escaped lone surrogate in an older one is JSON but not text).
    /// </summary>
    public static string Format(JsonElement json)
    {
        try
        {
            return JsonSerializer.Serialize(json, Indented);
        }
        catch (JsonException)
        {
            return json.GetRawText();
        }
    }
}

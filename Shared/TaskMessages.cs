using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tasks.Shared;

/// <summary>A task for a worker to run; key: the task id. <see cref="Attempt"/> counts from 1 (retries run again).</summary>
public sealed record TaskWorkItem(Guid TaskId, string Name, JsonElement? Payload, int Attempt = 1);

/// <summary>
/// A worker's report that a task changed status; key: the task id. <see cref="Attempt"/> is the work item's,
/// so a late event of an earlier attempt is recognised as such.
/// </summary>
public sealed record TaskStatusChanged(Guid TaskId, TaskRunStatus Status, DateTimeOffset OccurredAt, string? Error, int Attempt = 1);

/// <summary>The statuses a worker reports; a task's status never moves backwards along this order.</summary>
public enum TaskRunStatus
{
    InProgress,
    Success,
    Error,
}

public static class MessageJson
{
    /// <summary>
    /// The JSON shape of every message on our topics: camelCase, statuses as "in_progress". Text is written as UTF-8,
    /// escaping only what JSON requires (quotes, backslashes, control characters) and what the relaxed encoder cannot
    /// write (characters outside the BMP, unassigned ones): the default encoder escapes every non-ASCII character to
    /// <c>\uXXXX</c>, 6 bytes for Cyrillic's 2, which made a large template's record exceed Kafka's limit. The HTML-safe
    /// escaping it drops is for JSON embedded in a web page; our records are read only by our own services.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    public static T Deserialize<T>(byte[] json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");
}

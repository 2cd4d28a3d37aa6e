using System.Text.Json;
using System.Text.Json.Serialization;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>A task as the API shows it.</summary>
/// <param name="Id">The task's id.</param>
/// <param name="Name">The name given at creation.</param>
/// <param name="Payload">The JSON given at creation, unchanged; null when none was given.</param>
/// <param name="Status">new, in_progress, success, error or cancelled.</param>
/// <param name="CreatedAt">When the task was accepted.</param>
/// <param name="CreatedBy">Who created it: an operator's id, an app's client id, or "kafka" for a Kafka submission; null for tasks older than that record.</param>
/// <param name="StartedAt">When a worker started it; null until then.</param>
/// <param name="FinishedAt">When it reached success or error; null until then.</param>
/// <param name="Error">Why it failed; null unless the status is error (or the last attempt failed and a retry is waiting).</param>
/// <param name="ScheduledFor">When the current attempt is due, while it waits (deferred or retrying); null otherwise.</param>
/// <param name="Attempts">The number of the current (or last) attempt, from 1.</param>
/// <param name="MaxAttempts">How many attempts an error is given in all.</param>
public sealed record TaskResponse(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(VerbatimJsonConverter))] JsonElement? Payload,
    TaskItemStatus Status,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    DateTimeOffset? ScheduledFor,
    int Attempts,
    int MaxAttempts)
{
    public static TaskResponse From(TaskItem task) => new(
        task.Id,
        task.Name,
        task.Payload is null ? null : JsonSerializer.Deserialize<JsonElement>(task.Payload),
        task.Status,
        task.CreatedAt,
        task.CreatedBy,
        task.StartedAt,
        task.FinishedAt,
        task.Error,
        task.ScheduledFor,
        task.Attempts,
        task.MaxAttempts);
}

/// <summary>
/// Writes a stored payload exactly as the client sent it. Re-serializing would rewrite escapes, and it fails
/// outright on text that is JSON but not Unicode (an escaped lone surrogate) that older rows may hold.
/// </summary>
public sealed class VerbatimJsonConverter : JsonConverter<JsonElement?>
{
    public override bool HandleNull => true;

    public override JsonElement? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement? value, JsonSerializerOptions options)
    {
        if (value is { } json)
        {
            writer.WriteRawValue(json.GetRawText(), skipInputValidation: true);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

using System.Text.Json;
using Tasks.Shared;

namespace Scheduler.Intake;

/// <summary>A message read from Kafka: its content, or why it cannot be used.</summary>
public sealed record ReadResult<T>(T? Message, string? Error) where T : class
{
    public static ReadResult<T> Rejected(string error) => new(null, error);
}

/// <summary>
/// Reads <see cref="ScheduleRequest"/> and <see cref="ScheduleCancel"/> messages and checks what the JSON binder
/// does not: required fields (a missing one binds as null or default) and the rules Kafka and Redis impose.
/// </summary>
public static class ScheduleMessageReader
{
    public const int MaxScheduleIdLength = 200;

    /// <param name="allowedTopics">The topics this Scheduler releases to (<see cref="SchedulerOptions.AllowedTopics"/>).</param>
    public static ReadResult<ScheduleRequest> ReadRequest(byte[]? value, IReadOnlySet<string> allowedTopics)
    {
        var read = Deserialize<ScheduleRequest>(value);
        if (read.Error is not null)
        {
            return read;
        }
        var request = read.Message!;
        var errors = new List<string>();
        AddScheduleIdErrors(request.ScheduleId, errors);
        if (request.DueAt == default)
        {
            errors.Add("'dueAt' is missing.");
        }
        if (!KafkaTopics.IsValidName(request.Topic))
        {
            errors.Add("'topic' must be a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -, and not \".\" or \"..\".");
        }
        else if (!allowedTopics.Contains(request.Topic))
        {
            errors.Add($"'topic' {request.Topic} is not one the Scheduler releases to ({string.Join(", ", allowedTopics.Order(StringComparer.Ordinal))}).");
        }
        if (request.Value is null)
        {
            errors.Add("'value' is missing (base64; \"\" for an empty value).");
        }
        if (request.Headers is null)
        {
            errors.Add("'headers' is missing ([] for none).");
        }
        else if (request.Headers.Any(header => header is null || string.IsNullOrEmpty(header.Name) || header.Value is null))
        {
            errors.Add("Every header needs a non-empty 'name' and a 'value'.");
        }
        return errors.Count == 0 ? read : ReadResult<ScheduleRequest>.Rejected(string.Join(" ", errors));
    }

    public static ReadResult<ScheduleCancel> ReadCancel(byte[]? value)
    {
        var read = Deserialize<ScheduleCancel>(value);
        if (read.Error is not null)
        {
            return read;
        }
        var errors = new List<string>();
        AddScheduleIdErrors(read.Message!.ScheduleId, errors);
        return errors.Count == 0 ? read : ReadResult<ScheduleCancel>.Rejected(string.Join(" ", errors));
    }

    private static ReadResult<T> Deserialize<T>(byte[]? value) where T : class
    {
        if (value is null || value.Length == 0)
        {
            return ReadResult<T>.Rejected($"The message has no value; expected a JSON {typeof(T).Name}.");
        }
        try
        {
            return new(MessageJson.Deserialize<T>(value), null);
        }
        catch (JsonException e)
        {
            return ReadResult<T>.Rejected($"Invalid JSON for a {typeof(T).Name}: {e.Message}");
        }
    }

    private static void AddScheduleIdErrors(string? scheduleId, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(scheduleId))
        {
            errors.Add("'scheduleId' must not be empty.");
        }
        else if (scheduleId.Length > MaxScheduleIdLength)
        {
            errors.Add($"'scheduleId' must be at most {MaxScheduleIdLength} characters.");
        }
        else if (scheduleId.Any(char.IsControl))
        {
            // It is logged and used as a Kafka key: a line break in it could forge a log line.
            errors.Add("'scheduleId' must not contain control characters.");
        }
    }
}

using System.Text.Json;
using TaskApi.Features.Tasks.CreateTask;
using Tasks.Shared;

namespace TaskApi.Features.Schedules;

/// <summary>The task each occurrence of a schedule creates: as <c>POST /tasks</c> takes it, less the time (the schedule's).</summary>
/// <param name="Name">The task's name.</param>
/// <param name="Payload">The task's payload.</param>
/// <param name="MaxAttempts">Attempts in all when a run ends in error.</param>
public sealed record ScheduledTask(string Name, JsonElement? Payload, int? MaxAttempts)
{
    public static ScheduledTask From(CreateTaskRequest task) => new(task.Name, task.Payload, task.MaxAttempts);

    /// <summary>The schedule's stored target.</summary>
    public static ScheduledTask Read(string target) => MessageJson.Deserialize<ScheduledTask>(System.Text.Encoding.UTF8.GetBytes(target));

    public string ToJson() => System.Text.Encoding.UTF8.GetString(MessageJson.Serialize(this));

    /// <summary>The request <c>POST /tasks</c> would take for this task with <paramref name="idempotencyKey"/>.</summary>
    public CreateTaskRequest ToRequest(string idempotencyKey) =>
        new() { Name = Name, Payload = Payload, MaxAttempts = MaxAttempts, IdempotencyKey = idempotencyKey };
}

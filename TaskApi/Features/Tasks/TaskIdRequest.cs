namespace TaskApi.Features.Tasks;

/// <summary>The route of <c>/tasks/{id}</c>.</summary>
public sealed class TaskIdRequest
{
    /// <summary>The task's id (a GUID).</summary>
    public Guid Id { get; set; }
}

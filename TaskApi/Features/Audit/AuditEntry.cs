namespace TaskApi.Features.Audit;

/// <summary>
/// A row of <c>audit_log</c>: a write by an operator or an app at TaskApi, or an event the identity service recorded
/// (operators, apps, secrets, refused sign-ins), copied here so that one query sees both.
/// </summary>
public sealed class AuditEntry
{
    public const string FromTaskApi = "taskapi";
    public const string FromIdentity = "identity";

    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string ActorId { get; set; } = "";
    public string ActorKind { get; set; } = "";
    public string? ActorName { get; set; }

    /// <summary>At TaskApi the method and route (<c>POST /tasks</c>), at the identity service its action (<c>app.registered</c>).</summary>
    public string Action { get; set; } = "";

    /// <summary>What it was done to: the resource's path (<c>/tasks/{id}</c>).</summary>
    public string? Entity { get; set; }
    public string? ClientAddress { get; set; }

    /// <summary>The HTTP status TaskApi answered (null for the identity service's events).</summary>
    public int? Status { get; set; }
    public string? Detail { get; set; }

    /// <summary><see cref="FromTaskApi"/> or <see cref="FromIdentity"/>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The event's id at its source (the identity service's), which makes copying it again harmless.</summary>
    public long? SourceId { get; set; }
}

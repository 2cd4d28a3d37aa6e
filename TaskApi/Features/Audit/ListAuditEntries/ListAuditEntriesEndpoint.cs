using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Audit.ListAuditEntries;

/// <summary><c>GET /audit</c>: the audit log of both services, newest first, for admins.</summary>
public sealed class ListAuditEntriesEndpoint(TasksDbContext db) : Endpoint<ListAuditEntriesRequest, ItemsPage<AuditEntryResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<AuditGroup>();
        Policies(ApiAccess.AuditRead);
        Description(endpoint => endpoint.WithName("ListAuditEntries").ProducesValidationProblem());
        Summary(summary =>
        {
            summary.Summary = "List the audit log, newest first";
            summary.Description = "Every write by an operator or an app at TaskApi, and the identity service's own entries (operators, apps, " +
                "secrets, refused sign-ins, copied within seconds). Filtered by actor, entity path prefix and time; paged.";
        });
    }

    public override async Task<ItemsPage<AuditEntryResponse>> ExecuteAsync(ListAuditEntriesRequest request, CancellationToken ct)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (request.Actor is { } actor)
        {
            entries = entries.Where(e => e.ActorId == actor || e.ActorName == actor);
        }
        if (request.Entity is { } entity)
        {
            entries = entries.Where(e => e.Entity!.StartsWith(entity));
        }
        if (request.From is { } from)
        {
            entries = entries.Where(e => e.OccurredAt >= from);
        }
        if (request.To is { } to)
        {
            entries = entries.Where(e => e.OccurredAt < to);
        }
        return await entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).ToPageAsync(request, e =>
            new AuditEntryResponse(e.Id, e.OccurredAt, e.ActorId, e.ActorKind, e.ActorName, e.Action, e.Entity, e.ClientAddress, e.Status, e.Detail, e.Source), ct);
    }
}

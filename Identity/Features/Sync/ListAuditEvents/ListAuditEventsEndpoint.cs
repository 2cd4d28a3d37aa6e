using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Tasks.Shared;

namespace Identity.Features.Sync.ListAuditEvents;

public sealed class ListAuditEventsRequest
{
    /// <summary>The id of the last event already read (0: from the first).</summary>
    public long After { get; set; }

    /// <summary>How many at most, 1 to 1000 (default 500).</summary>
    public int? Limit { get; set; }
}

public sealed class ListAuditEventsValidator : Validator<ListAuditEventsRequest>
{
    public ListAuditEventsValidator()
    {
        RuleFor(r => r.After).GreaterThanOrEqualTo(0);
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000);
    }
}

/// <summary>
/// <c>GET /sync/audit?after=</c>: the identity service's audit events after the last one TaskApi copied, in id order,
/// which is their commit order (<see cref="AuditTrail"/>), so reading on from the last id never skips one.
/// </summary>
public sealed class ListAuditEventsEndpoint(IdentityDb db) : Endpoint<ListAuditEventsRequest, AuditEventPage>
{
    public override void Configure()
    {
        Get("/audit");
        Group<SyncGroup>();
        Policies(Extensions.Extensions.SyncPolicy);
        Summary(summary => summary.Summary = "The audit events after a given one");
    }

    public override async Task<AuditEventPage> ExecuteAsync(ListAuditEventsRequest request, CancellationToken ct)
    {
        var rows = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Id > request.After).OrderBy(e => e.Id).Take(request.Limit ?? 500)
            .ToListAsync(ct);
        return new AuditEventPage([.. rows.Select(e =>
            new AuditEventRecord(e.Id, e.OccurredAt, e.ActorId, e.ActorKind, e.ActorName, e.Action, e.Entity, e.ClientAddress, e.Detail))]);
    }
}

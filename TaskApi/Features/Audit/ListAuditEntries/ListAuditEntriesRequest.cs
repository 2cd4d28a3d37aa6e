using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Audit.ListAuditEntries;

/// <summary>Filters and page of <c>GET /audit</c>, from the query string.</summary>
public sealed class ListAuditEntriesRequest : IPagedRequest
{
    /// <summary>Only this actor: an operator's or app's id, or its name (an operator's login).</summary>
    public string? Actor { get; set; }

    /// <summary>Only entities whose path starts with this, e.g. <c>/tasks</c> or <c>/apps/app-abc</c>.</summary>
    public string? Entity { get; set; }

    /// <summary>Only entries at or after this time (ISO-8601 with an offset).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Only entries before this time (ISO-8601 with an offset).</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>Page number, from 1 (default 1).</summary>
    public int? Page { get; set; }

    /// <summary>Entries per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }
}

public sealed class ListAuditEntriesValidator : Validator<ListAuditEntriesRequest>
{
    public ListAuditEntriesValidator()
    {
        RuleFor(q => q.Actor).MaximumLength(200);
        RuleFor(q => q.Entity).MaximumLength(300);
        RuleFor(q => q.From).WithinAcceptedTimes();
        RuleFor(q => q.To).WithinAcceptedTimes();
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("'to' must be after 'from'.");
        Include(new PagingRules());
    }
}

/// <summary>One entry of the audit log.</summary>
/// <param name="Id">Its number in the log.</param>
/// <param name="OccurredAt">When.</param>
/// <param name="ActorId">Who: the operator's id or the app's client id (for a refused sign-in, the login or client id given).</param>
/// <param name="ActorKind">operator, app, or anonymous (a refused sign-in).</param>
/// <param name="ActorName">The operator's login or the app's name.</param>
/// <param name="Action">What: at TaskApi the method and route (<c>POST /tasks</c>), at the identity service its action (<c>app.registered</c>).</param>
/// <param name="Entity">Which entity: its path.</param>
/// <param name="ClientAddress">From where: the caller's IP address.</param>
/// <param name="Status">The HTTP status TaskApi answered (not set for the identity service's entries).</param>
/// <param name="Detail">More, where the identity service recorded some (never a secret).</param>
/// <param name="Source">taskapi or identity.</param>
public sealed record AuditEntryResponse(
    long Id, DateTimeOffset OccurredAt, string ActorId, string ActorKind, string? ActorName, string Action, string? Entity,
    string? ClientAddress, int? Status, string? Detail, string Source);

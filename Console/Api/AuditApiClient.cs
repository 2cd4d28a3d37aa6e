namespace TasksConsole.Api;

/// <summary>TaskApi's audit log (<c>GET /audit</c>, admins), with the signed-in operator's access token.</summary>
public sealed class AuditApiClient(HttpClient http, OperatorApiCalls calls)
{
    /// <summary>A page (from 1) of the entries of both services, newest first, filtered as <paramref name="filter"/> says.</summary>
    public Task<AuditPage> ListAsync(int page, int pageSize, AuditFilter filter, CancellationToken cancellationToken)
    {
        var (actor, entity, from, to) = filter;
        var query = $"/audit?page={page}&pageSize={pageSize}";
        if (!string.IsNullOrWhiteSpace(actor))
        {
            query += $"&actor={Uri.EscapeDataString(actor.Trim())}";
        }
        if (!string.IsNullOrWhiteSpace(entity))
        {
            query += $"&entity={Uri.EscapeDataString(entity.Trim())}";
        }
        if (from is { } since)
        {
            query += $"&from={Uri.EscapeDataString(since.ToString("O"))}";
        }
        if (to is { } until)
        {
            query += $"&to={Uri.EscapeDataString(until.ToString("O"))}";
        }
        return calls.SendAsync<AuditPage>(http, HttpMethod.Get, query, null, cancellationToken);
    }
}

/// <summary>The filters of <c>GET /audit</c>: the actor (id or login), an entity path prefix, and a time range [from, to).</summary>
public sealed record AuditFilter(string? Actor, string? Entity, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>One entry of the audit log: at TaskApi a write (<see cref="Status"/> set), at the identity service an event.</summary>
public sealed record AuditEntry(
    long Id, DateTimeOffset OccurredAt, string ActorId, string ActorKind, string? ActorName, string Action, string? Entity,
    string? ClientAddress, int? Status, string? Detail, string Source);

/// <summary>One page of <c>GET /audit</c>: total counted up to 10,000 (<see cref="TotalCapped"/>: more match).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int Page, int PageSize, long Total, bool TotalCapped);

using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists;

/// <summary>A list as the API shows it.</summary>
/// <param name="Id">The list's id.</param>
/// <param name="Name">What the list is called.</param>
/// <param name="Subscribers">How many of its addresses are subscribed: those a campaign sends to.</param>
/// <param name="Unsubscribed">How many of its addresses unsubscribed: they are never mailed from it again.</param>
/// <param name="CreatedAt">When the list was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id; null for lists older than that record.</param>
/// <param name="UpdatedAt">When the list was created or last renamed.</param>
public sealed record SubscriberListResponse(
    long Id, string Name, int Subscribers, int Unsubscribed, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset UpdatedAt)
{
    /// <summary>A new list, which has no subscribers yet.</summary>
    public static SubscriberListResponse New(SubscriberList list) => new(list.Id, list.Name, 0, 0, list.CreatedAt, list.CreatedBy, list.UpdatedAt);
}

public static class SubscriberListQueries
{
    /// <summary>A list with its counts, which the database counts with the (list_id, status, id) index.</summary>
    public static Expression<Func<SubscriberList, SubscriberListResponse>> WithCounts(this TasksDbContext db) => list => new SubscriberListResponse(
        list.Id,
        list.Name,
        db.Subscribers.Count(s => s.ListId == list.Id && s.Status == SubscriberStatus.Subscribed),
        db.Subscribers.Count(s => s.ListId == list.Id && s.Status == SubscriberStatus.Unsubscribed),
        list.CreatedAt,
        list.CreatedBy,
        list.UpdatedAt);

    /// <summary>The list with its counts; null when there is none.</summary>
    public static Task<SubscriberListResponse?> ListWithCountsAsync(this TasksDbContext db, long id, CancellationToken ct) =>
        db.SubscriberLists.AsNoTracking().Where(l => l.Id == id).Select(db.WithCounts()).FirstOrDefaultAsync(ct);

    public static Task<bool> ListExistsAsync(this TasksDbContext db, long id, CancellationToken ct) =>
        db.SubscriberLists.AnyAsync(l => l.Id == id, ct);

    /// <summary>The 404 for a subscriber the list does not have: about the list when there is no such list.</summary>
    public static async Task<ProblemHttpResult> SubscriberNotFoundAsync(
        this TasksDbContext db, SubscriberIdRequest request, CancellationToken ct) =>
        await db.ListExistsAsync(request.Id, ct)
            ? ListProblems.SubscriberNotFound(request.Id, request.SubscriberId)
            : ListProblems.NotFound(request.Id);
}

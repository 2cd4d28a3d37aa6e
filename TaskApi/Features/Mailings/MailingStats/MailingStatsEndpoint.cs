using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.MailingStats;

/// <summary>One mailing's statistics.</summary>
/// <param name="Id">The mailing's id.</param>
/// <param name="Status">scheduled, running, finished or cancelled.</param>
/// <param name="Messages">Its messages by status.</param>
/// <param name="FirstSentAt">When its first message went out.</param>
/// <param name="LastSentAt">When its latest message went out.</param>
public sealed record MailingStatsResponse(long Id, string Status, MessageCountsResponse Messages, DateTimeOffset? FirstSentAt, DateTimeOffset? LastSentAt)
{
    public static MailingStatsResponse From(Mailing mailing) => new(
        mailing.Id, StatusNames<MailingStatus>.Of(mailing.Status), MessageCountsResponse.From(mailing.Counts), mailing.FirstSentAt, mailing.LastSentAt);
}

/// <summary><c>GET /mailings/{id}/stats</c>: a mailing's message counts by status and its first and last send.</summary>
public sealed class MailingStatsEndpoint(TasksDbContext db) : Endpoint<MailingIdRequest, Results<Ok<MailingStatsResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/stats");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint.WithName("GetMailingStats").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "A mailing's statistics";
            summary.Description = "Exact counts: they change in the same transactions as the messages.";
            summary.Responses[StatusCodes.Status404NotFound] = "No mailing has this id.";
        });
    }

    public override async Task<Results<Ok<MailingStatsResponse>, ProblemHttpResult>> ExecuteAsync(MailingIdRequest request, CancellationToken ct)
    {
        var mailing = await db.Mailings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == request.Id, ct);
        return mailing is null ? MailingProblems.NotFound(request.Id) : TypedResults.Ok(MailingStatsResponse.From(mailing));
    }
}

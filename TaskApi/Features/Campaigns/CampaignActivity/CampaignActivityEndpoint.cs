using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.CampaignActivity;

/// <summary>
/// <c>GET /campaigns/{id}/activity</c>: sent emails, unique opens and unique clicks per minute or hour from the
/// campaign's start, for a chart. Each series is a range of its own partial index
/// (<c>ix_email_messages_campaign_id_sent_at</c>, <c>_first_opened_at</c>, <c>_first_clicked_at</c>), so the cost is
/// that of the window's events, not of the campaign's emails; at most <see cref="MaxPoints"/> points.
/// </summary>
public sealed class CampaignActivityEndpoint(TasksDbContext db, TimeProvider clock)
    : Endpoint<CampaignActivityRequest, Results<Ok<CampaignActivityResponse>, ProblemHttpResult>>
{
    public const int MaxPoints = 500;

    // date_bin, not date_trunc: buckets from the window's UTC start whatever the session's time zone.
    private const string ActivitySql = """
        SELECT 0 AS "Series", date_bin(@step, sent_at, @from) AS "At", count(*)::int AS "Count" FROM email_messages
        WHERE campaign_id = @id AND sent_at IS NOT NULL AND sent_at >= @from AND sent_at < @to GROUP BY 2
        UNION ALL
        SELECT 1, date_bin(@step, first_opened_at, @from), count(*)::int FROM email_messages
        WHERE campaign_id = @id AND first_opened_at IS NOT NULL AND first_opened_at >= @from AND first_opened_at < @to GROUP BY 2
        UNION ALL
        SELECT 2, date_bin(@step, first_clicked_at, @from), count(*)::int FROM email_messages
        WHERE campaign_id = @id AND first_clicked_at IS NOT NULL AND first_clicked_at >= @from AND first_clicked_at < @to GROUP BY 2
        """;

    public override void Configure()
    {
        Get("/{id}/activity");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("GetCampaignActivity").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "A campaign's sends, opens and clicks over time";
            summary.Description = $"One point per minute or hour (bucket) from the campaign's start (rounded down, UTC) to now, empty ones " +
                $"included, at most {MaxPoints}: sent emails, unique opens (emails first opened in the bucket) and unique clicks. " +
                "Before the campaign starts there are no points; a series longer than the limit stops there (truncated).";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number, or bucket is neither minute nor hour.";
            summary.Responses[StatusCodes.Status404NotFound] = "No campaign has this id.";
        });
    }

    public override async Task<Results<Ok<CampaignActivityResponse>, ProblemHttpResult>> ExecuteAsync(CampaignActivityRequest request, CancellationToken ct)
    {
        var bucket = request.Bucket ?? CampaignActivityRequest.DefaultBucket;
        var step = CampaignActivityRequest.Buckets[bucket];
        var campaign = await db.Campaigns.Where(c => c.Id == request.Id).Select(c => new { c.StartedAt }).SingleOrDefaultAsync(ct);
        if (campaign is null)
        {
            return CampaignProblems.NotFound(request.Id);
        }
        if (campaign.StartedAt is not { } started)
        {
            return TypedResults.Ok(new CampaignActivityResponse(request.Id, bucket, null, null, false, []));
        }

        var from = TimeSeries.Floor(started, step);
        var throughNow = TimeSeries.Floor(clock.GetUtcNow(), step) + step;
        var limit = from + MaxPoints * step;
        var to = throughNow < limit ? throughNow : limit;
        var counts = await TimeSeries.ReadAsync(db, ActivitySql,
            [new("id", request.Id), new("step", step), new("from", from), new("to", to)], ct);
        // The series are numbered as the query's first column numbers them: 0 sent, 1 opens, 2 clicks.
        var points = counts.Points(from, to, step, (at, count) => new ActivityPoint(at, count(0), count(1), count(2)));
        return TypedResults.Ok(new CampaignActivityResponse(request.Id, bucket, from, to, throughNow > limit, points));
    }
}

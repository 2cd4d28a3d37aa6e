using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TaskApi.Tests.Features.Campaigns;

/// <summary>Campaigns and their emails are written as the sending and tracking would leave them, at known times.</summary>
public sealed class CampaignActivityTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_ByMinute_CountsSentAndUniqueOpensAndClicksInTheirMinutes()
    {
        var start = WholeMinute(DateTimeOffset.UtcNow.AddMinutes(-30));
        var id = await CampaignAsync(start);
        await EmailAsync(id, sent: start.AddSeconds(65), opened: start.AddSeconds(190), clicked: start.AddSeconds(200));
        await EmailAsync(id, sent: start.AddSeconds(90), opened: start.AddSeconds(230));
        await EmailAsync(id, sent: start.AddSeconds(120));
        await EmailAsync(id); // failed: never sent
        await EmailAsync(await CampaignAsync(start), sent: start.AddSeconds(70), opened: start.AddSeconds(75)); // another campaign's
        var before = DateTimeOffset.UtcNow;

        var activity = await _client.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/activity?bucket=minute");

        Assert.Equal(("minute", false), (activity.GetProperty("bucket").GetString(), activity.GetProperty("truncated").GetBoolean()));
        Assert.Equal(start, activity.GetProperty("from").GetDateTimeOffset());
        var to = activity.GetProperty("to").GetDateTimeOffset();
        Assert.InRange(to, WholeMinute(before).AddMinutes(1), WholeMinute(DateTimeOffset.UtcNow).AddMinutes(1));
        var points = Points(activity);
        Assert.Equal((int)(to - start).TotalMinutes, points.Count);
        Assert.Equal(Enumerable.Range(0, points.Count).Select(i => start.AddMinutes(i)), points.Select(p => p.At));
        Assert.Equal((0, 0, 0), Counts(points[0]));
        Assert.Equal((2, 0, 0), Counts(points[1]));
        Assert.Equal((1, 0, 0), Counts(points[2]));
        Assert.Equal((0, 2, 1), Counts(points[3]));
        Assert.All(points.Skip(4), point => Assert.Equal((0, 0, 0), Counts(point)));
    }

    [Fact]
    public async Task Get_ByHour_SumsTheSameEventsIntoHours()
    {
        // Five minutes into the hour two hours ago: the first events stay in that hour, the later ones in the next.
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);
        var hourStart = new DateTimeOffset(twoHoursAgo.Year, twoHoursAgo.Month, twoHoursAgo.Day, twoHoursAgo.Hour, 0, 0, TimeSpan.Zero);
        var start = hourStart.AddMinutes(5);
        var id = await CampaignAsync(start);
        await EmailAsync(id, sent: start.AddMinutes(1), opened: start.AddMinutes(80), clicked: start.AddMinutes(81));
        await EmailAsync(id, sent: start.AddMinutes(2), opened: start.AddMinutes(3));

        var activity = await _client.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/activity?bucket=hour");

        Assert.Equal(hourStart, activity.GetProperty("from").GetDateTimeOffset());
        var points = Points(activity);
        Assert.Equal([hourStart, hourStart.AddHours(1), hourStart.AddHours(2)], points.Select(p => p.At));
        Assert.Equal([(2, 1, 0), (0, 1, 1), (0, 0, 0)], points.Select(Counts));
    }

    [Fact]
    public async Task Get_MoreMinutesThanTheLimit_StopsAt500PointsAndSaysSo()
    {
        var start = WholeMinute(DateTimeOffset.UtcNow.AddMinutes(-1000));
        var id = await CampaignAsync(start);
        await EmailAsync(id, sent: start, opened: start.AddMinutes(10));
        await EmailAsync(id, sent: start, opened: start.AddMinutes(600));

        var byMinute = await _client.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/activity");
        var byHour = await _client.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/activity?bucket=hour");

        Assert.Equal(("minute", true), (byMinute.GetProperty("bucket").GetString(), byMinute.GetProperty("truncated").GetBoolean()));
        Assert.Equal(500, Points(byMinute).Count);
        Assert.Equal(start.AddMinutes(500), byMinute.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(1, Points(byMinute).Sum(p => p.Opens));
        Assert.False(byHour.GetProperty("truncated").GetBoolean());
        Assert.Equal(2, Points(byHour).Sum(p => p.Opens));
    }

    [Fact]
    public async Task Get_CampaignNotStarted_HasNoPoints()
    {
        var id = await CampaignAsync(started: null);

        var activity = await _client.GetFromJsonAsync<JsonElement>($"/campaigns/{id}/activity");

        Assert.Empty(Points(activity));
        Assert.Equal(JsonValueKind.Null, activity.GetProperty("from").ValueKind);
    }

    [Fact]
    public async Task Get_UnknownCampaign_Returns404()
    {
        await (await _client.GetAsync("/campaigns/999999999/activity")).ReadProblemAsync(404);
    }

    [Theory]
    [InlineData("day")]
    [InlineData("Minute")]
    [InlineData("")]
    public async Task Get_OtherBucket_Returns400NamingBucket(string bucket)
    {
        var messages = await (await _client.GetAsync($"/campaigns/1/activity?bucket={bucket}")).ReadFieldErrorsAsync("bucket");

        Assert.Contains(messages, message => message.Contains("minute, hour"));
    }

    private static DateTimeOffset WholeMinute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private static (int, int, int) Counts(Point point) => (point.Sent, point.Opens, point.Clicks);

    private static List<Point> Points(JsonElement activity) =>
        [.. activity.GetProperty("points").EnumerateArray().Select(p => new Point(
            p.GetProperty("at").GetDateTimeOffset(), p.GetProperty("sent").GetInt32(), p.GetProperty("opens").GetInt32(), p.GetProperty("clicks").GetInt32()))];

    private Task<long> CampaignAsync(DateTimeOffset? started) => api.WithDbAsync(async db => (await db.Database.SqlQueryRaw<long>("""
        INSERT INTO campaigns (name, template_id, list_ids, from_email, message, send_at, status, created_at, started_at,
                               messages_pending, messages_sent, messages_failed, messages_cancelled)
        VALUES ('activity', 1, ARRAY[1]::bigint[], 'news@example.com', '', COALESCE(@started, now() + interval '1 day'), CASE WHEN @started IS NULL THEN 'scheduled' ELSE 'sending' END,
                now(), @started, 0, 0, 0, 0)
        RETURNING id
        """, new NpgsqlParameter<DateTimeOffset?>("started", started)).ToListAsync()).Single());

    private Task<int> EmailAsync(long campaignId, DateTimeOffset? sent = null, DateTimeOffset? opened = null, DateTimeOffset? clicked = null) =>
        api.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            INSERT INTO email_messages (campaign_id, email, status, attempts, dispatch, created_at, sent_at, finished_at,
                                        opens, first_opened_at, clicks, first_clicked_at)
            VALUES (@campaign, 'r@example.com', CASE WHEN @sent IS NULL THEN 'failed' ELSE 'sent' END, 1, 1, now(), @sent, now(),
                    CASE WHEN @opened IS NULL THEN 0 ELSE 1 END, @opened, CASE WHEN @clicked IS NULL THEN 0 ELSE 1 END, @clicked)
            """, new NpgsqlParameter("campaign", campaignId), new NpgsqlParameter<DateTimeOffset?>("sent", sent),
            new NpgsqlParameter<DateTimeOffset?>("opened", opened), new NpgsqlParameter<DateTimeOffset?>("clicked", clicked)));

    private sealed record Point(DateTimeOffset At, int Sent, int Opens, int Clicks);
}

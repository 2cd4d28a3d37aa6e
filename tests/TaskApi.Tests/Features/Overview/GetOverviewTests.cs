using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Overview;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Overview;

/// <summary>The class has its own database, holding exactly the rows seeded here, at times relative to the start.</summary>
public sealed class GetOverviewTests(GetOverviewTests.SeededApi api) : IClassFixture<GetOverviewTests.SeededApi>
{
    public sealed class SeededApi : IAsyncLifetime
    {
        public TaskApiFactory Factory { get; } = new();

        /// <summary>The seed's "now": every time below is some minutes before it.</summary>
        public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            await Factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
                INSERT INTO tasks (id, name, status, created_at, finished_at, attempts, max_attempts)
                SELECT gen_random_uuid(), 'seeded', status, @now - interval '2 hours', @now - minutes * interval '1 minute', 1, 1
                FROM (VALUES ('new', NULL), ('new', NULL), ('in_progress', NULL), ('success', 5), ('success', 5), ('success', 70),
                             ('error', 5), ('cancelled', 2)) AS t(status, minutes);

                INSERT INTO mailings (text, start_at, end_at, operator_codes, tags, status, created_at, started_at, times_version,
                                      messages_pending, messages_sent, messages_failed, messages_expired, messages_cancelled)
                VALUES ('Spring sale: everything half price until Sunday, visit our shop at the corner of Main Street', @now - interval '1 hour',
                        @now + interval '1 hour', ARRAY[]::text[], ARRAY[]::text[], 'running', @now, @now - interval '1 hour', 1, 3, 5, 1, 0, 0),
                       ('Finished', @now - interval '1 day', @now - interval '1 hour', ARRAY[]::text[], ARRAY[]::text[], 'finished', @now, @now - interval '1 day', 1, 0, 10, 0, 2, 0);
                INSERT INTO sms_messages (mailing_id, client_id, phone, timezone, status, attempts, dispatch, created_at, sent_at, finished_at)
                SELECT 1, client, '7900000000' || client, 'UTC', 'sent', 1, 1, @now, @now - interval '3 minutes', @now - interval '3 minutes'
                FROM generate_series(1, 2) AS client;

                INSERT INTO campaigns (name, template_id, list_ids, from_email, message, send_at, status, created_at, started_at,
                                       messages_pending, messages_sent, messages_failed, messages_cancelled)
                VALUES ('November news', 1, ARRAY[1]::bigint[], 'news@example.com', '', @now, 'sending', @now, @now - interval '10 minutes', 2, 4, 1, 0),
                       ('October news', 1, ARRAY[1]::bigint[], 'news@example.com', '', @now, 'sent', @now, @now - interval '30 days', 0, 7, 0, 0);
                INSERT INTO email_messages (campaign_id, report_date, email, status, attempts, dispatch, created_at, sent_at, finished_at, opens, clicks)
                VALUES (NULL, '2026-01-01', 'boss@example.com', 'sent', 1, 1, @now, @now - interval '1 minute', @now - interval '1 minute', 0, 0);

                INSERT INTO notification_deliveries (notification_id, user_id, channel, status, attempts, dispatch, created_at, sent_at)
                SELECT 1, 'user-' || n, 'email', status, 1, 1, @now, @now - minutes * interval '1 minute'
                FROM (VALUES (1, 'pending', NULL), (2, 'pending', NULL), (3, 'sent', 4), (4, 'sent', 4), (5, 'sent', 90), (6, 'skipped', NULL))
                    AS d(n, status, minutes);

                INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, dead_lettered_at, headers, reason, truncated, received_at, state)
                SELECT 'tasks.status.dlq', 0, n, @now, '[]', 'unreadable', false, @now, state
                FROM (VALUES (1, 'waiting'), (2, 'waiting'), (3, 'replayed'), (4, 'discarded')) AS d(n, state);
                """, new Npgsql.NpgsqlParameter("now", Now)));
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Fact]
    public async Task Get_Viewer_ReadsTheCountsByStatusOfEachKind()
    {
        var overview = await ReadAsViewerAsync();

        Assert.Equal(Counts(("new", 2), ("in_progress", 1), ("success", 3), ("error", 1), ("cancelled", 1)), Counts(overview, "tasks"));
        // The mailings' kept counts, not the two rows of messages seeded for the throughput.
        Assert.Equal(Counts(("pending", 3), ("sent", 15), ("failed", 1), ("expired", 2), ("cancelled", 0)), Counts(overview, "smsMessages"));
        // The campaigns' kept counts and the daily report's email, which has no campaign.
        Assert.Equal(Counts(("pending", 2), ("sent", 12), ("failed", 1), ("cancelled", 0)), Counts(overview, "emails"));
        Assert.Equal(Counts(("pending", 2), ("sent", 3), ("failed", 0), ("skipped", 1), ("cancelled", 0)), Counts(overview, "notificationDeliveries"));
    }

    [Fact]
    public async Task Get_Throughput_CountsWhatFinishedInEachOfTheLast60Minutes()
    {
        var overview = await ReadAsViewerAsync();

        var points = overview.GetProperty("throughput").EnumerateArray().ToList();
        Assert.Equal(60, points.Count);
        var minutes = points.Select(p => p.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => minutes[0].AddMinutes(i)), minutes);
        Assert.InRange(minutes[^1], Minute(api.Now), Minute(DateTimeOffset.UtcNow));
        int At(int minutesAgo, string kind) => points.Single(p => p.GetProperty("at").GetDateTimeOffset() == Minute(api.Now.AddMinutes(-minutesAgo))).GetProperty(kind).GetInt32();
        Assert.Equal((3, 1), (At(5, "tasks"), At(2, "tasks")));
        Assert.Equal(2, At(3, "smsMessages"));
        Assert.Equal(1, At(1, "emails"));
        Assert.Equal(2, At(4, "notificationDeliveries"));
        // Each seeded finish in the last hour once; the task of 70 and the delivery of 90 minutes ago lie outside it.
        Assert.Equal((4, 2, 1, 2), (Sum(points, "tasks"), Sum(points, "smsMessages"), Sum(points, "emails"), Sum(points, "notificationDeliveries")));
    }

    [Fact]
    public async Task Get_RunningMailingsAndCampaigns_WithTheirProgress()
    {
        var overview = await ReadAsViewerAsync();

        var mailing = Assert.Single(overview.GetProperty("runningMailings").EnumerateArray());
        Assert.Equal((9, 5, 1, 3), (mailing.GetProperty("total").GetInt32(), mailing.GetProperty("sent").GetInt32(),
            mailing.GetProperty("failed").GetInt32(), mailing.GetProperty("pending").GetInt32()));
        Assert.Equal("Spring sale: everything half price until Sunday, visit our s", mailing.GetProperty("text").GetString());
        var campaign = Assert.Single(overview.GetProperty("runningCampaigns").EnumerateArray());
        Assert.Equal(("November news", 7, 4, 1, 2), (campaign.GetProperty("name").GetString(), campaign.GetProperty("total").GetInt32(),
            campaign.GetProperty("sent").GetInt32(), campaign.GetProperty("failed").GetInt32(), campaign.GetProperty("pending").GetInt32()));
    }

    [Fact]
    public async Task Get_At_IsWhenTheCountsWereReadAtMostTheirMaxAgeBeforeTheAnswer()
    {
        var asked = DateTimeOffset.UtcNow;
        var overview = await ReadAsViewerAsync();

        Assert.InRange(overview.GetProperty("at").GetDateTimeOffset(), asked - new OverviewOptions().CountsMaxAge, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Get_DeadLetters_CountsOnlyTheWaitingOnes()
    {
        var overview = await ReadAsViewerAsync();

        Assert.Equal(2, overview.GetProperty("deadLettersWaiting").GetInt64());
    }

    [Fact]
    public async Task Get_Anonymous_Returns401()
    {
        using var anonymous = api.Factory.CreateClient(token: null);

        await (await anonymous.GetAsync("/overview")).ReadProblemAsync(401);
    }

    [Fact]
    public async Task Get_AppWithEveryScope_Returns403()
    {
        var app = await api.Factory.Identity.RegisterAppAsync(Scopes.Tasks, Scopes.Mailings, Scopes.Campaigns, Scopes.Notifications);
        using var client = api.Factory.CreateClient(await api.Factory.Identity.AppTokenAsync(app));

        await (await client.GetAsync("/overview")).ReadProblemAsync(403);
    }

    private async Task<JsonElement> ReadAsViewerAsync()
    {
        using var viewer = api.Factory.CreateClient(await api.Factory.Identity.OperatorTokenAsync(Roles.Viewer));
        var response = await viewer.GetAsync("/overview");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private static int Sum(List<JsonElement> points, string kind) => points.Sum(p => p.GetProperty(kind).GetInt32());

    private static List<(string, long)> Counts(params (string, long)[] counts) => [.. counts];

    private static List<(string, long)> Counts(JsonElement overview, string kind) =>
        [.. overview.GetProperty(kind).EnumerateObject().Select(p => (p.Name, p.Value.GetInt64()))];
}

using System.Diagnostics;
using System.Net;

namespace TaskApi.Tests.Features.Feed;

/// <summary>
/// <c>GET /me/notifications/stream</c>: each notification reaching a user's feed is pushed to the user's open streams
/// (on either of two instances), never to another user's; a stream resumed with Last-Event-ID sends what was missed,
/// then the new ones, without gap or duplicate, in the order they reached the feed.
/// </summary>
[Collection(FeedCollection.Name)]
public sealed class StreamFeedTests(FeedApiFactory api)
{
    [Fact]
    public async Task Stream_NotificationMadeSent_PushedToEachOfTheUsersStreamsAndNoOneElse()
    {
        var (alice, bob) = (await api.NewUserAsync(), await api.NewUserAsync());
        using var aliceClient = api.UserClient(alice);
        using var bobClient = api.UserClient(bob);
        await using var aliceFirst = await FeedStream.OpenAsync(aliceClient);
        await using var aliceSecond = await FeedStream.OpenAsync(aliceClient);
        await using var bobStream = await FeedStream.OpenAsync(bobClient);

        var sending = Stopwatch.StartNew();
        await api.SendInAppAsync("for alice", alice).WaitAsync(TimeSpan.FromSeconds(10));
        var first = await aliceFirst.NextItemAsync();
        var pushedWithin = sending.Elapsed;
        var second = await aliceSecond.NextItemAsync();
        await api.SendInAppAsync("for bob", bob);

        Assert.Equal("for alice", first.Item.Title());
        Assert.Equal((first.Item.GetProperty("id").GetInt64(), first.EventId), (second.Item.GetProperty("id").GetInt64(), second.EventId));
        // Bob's first event is his own: alice's was never pushed to him.
        Assert.Equal("for bob", (await bobStream.NextItemAsync()).Item.Title());
        // Far below the heartbeat (15 s), when a stream would also read on without being woken: the NOTIFY woke it.
        Assert.True(pushedWithin < FeedTesting.EventTimeout, $"Pushed after {pushedWithin}.");
    }

    [Fact]
    public async Task Stream_ResumedWithLastEventId_SendsTheMissedThenTheNewWithoutGapOrDuplicate()
    {
        var userId = await api.NewUserAsync();
        using var client = api.UserClient(userId);
        long lastSeen;
        await using (var stream = await FeedStream.OpenAsync(client))
        {
            await api.SendInAppAsync("1", userId);
            await api.SendInAppAsync("2", userId);
            Assert.Equal("1", (await stream.NextItemAsync()).Item.Title());
            lastSeen = (await stream.NextItemAsync()).EventId;
        }
        // While disconnected: a delivery created earlier reaches the feed after one created later (its send time came later).
        var earlier = await api.ScheduleInAppAsync("3 (created first)", userId);
        await api.SendInAppAsync("4", userId);
        await api.ReleaseAsync(earlier);

        await using var resumed = await FeedStream.OpenAsync(client, lastSeen.ToString());
        var missed = new[] { await resumed.NextItemAsync(), await resumed.NextItemAsync() };
        await api.SendInAppAsync("5", userId);
        var live = await resumed.NextItemAsync();

        Assert.Equal(["4", "3 (created first)", "5"], missed.Append(live).Select(e => e.Item.Title()));
        var ids = missed.Append(live).Select(e => e.EventId).Prepend(lastSeen).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Stream_TwoInstancesOnOneDatabase_ANoticeOnEitherReachesAStreamOnTheOther()
    {
        await using var replica = api.Replica();
        await replica.InitializeAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var userId = await api.NewUserAsync();
        await using var onFirst = await FeedStream.OpenAsync(api.UserClient(userId));
        await using var onReplica = await FeedStream.OpenAsync(replica.UserClient(userId));

        await api.SendInAppAsync("sent by the first", userId);
        Assert.Equal("sent by the first", (await onReplica.NextItemAsync()).Item.Title());
        await replica.SendInAppAsync("sent by the replica", userId);

        Assert.Equal("sent by the first", (await onFirst.NextItemAsync()).Item.Title());
        Assert.Equal("sent by the replica", (await onFirst.NextItemAsync()).Item.Title());
        Assert.Equal("sent by the replica", (await onReplica.NextItemAsync()).Item.Title());
    }

    [Fact]
    public async Task Stream_OneMoreThanTheLimitPerUser_Answers429()
    {
        using var client = api.UserClient(await api.NewUserAsync());
        var open = new List<FeedStream>();
        try
        {
            for (var i = 0; i < FeedApiFactory.MaxStreamsPerUser; i++)
            {
                open.Add(await FeedStream.OpenAsync(client));
            }

            using var response = await client.GetAsync("/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead);

            await response.ReadProblemAsync((int)HttpStatusCode.TooManyRequests);
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Stream_LastEventIdNotAnId_Answers400NamingIt()
    {
        using var client = api.UserClient(await api.NewUserAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me/notifications/stream");
        request.Headers.Add("Last-Event-ID", "abc");

        var errors = await (await client.SendAsync(request)).ReadFieldErrorsAsync("Last-Event-ID");

        Assert.Contains(errors, message => message.Contains("digits"));
    }
}

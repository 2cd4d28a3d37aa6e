using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskApi.Infrastructure;
using TaskApi.Tests.Features.Notifications;
using TaskApi.Tests.Features.Users;

namespace TaskApi.Tests.Features.Feed;

/// <summary>What the feed's tests share: users, in-app notifications sent at once or released later, and streams.</summary>
public static class FeedTesting
{
    /// <summary>How long a test waits for an event it expects: generous for a loaded machine, and far below the heartbeat (15 s), at which a stream also reads on.</summary>
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A new user of the product, known to the API (in-app on).</summary>
    public static async Task<string> NewUserAsync(this TaskApiFactory api)
    {
        var userId = UserTesting.NewUserId("feed");
        await api.CreateClient().PutUserAsync(userId, new { });
        return userId;
    }

    /// <summary>An in-app notification titled <paramref name="title"/> for <paramref name="userIds"/>, which its dispatch puts into their feeds at creation.</summary>
    public static async Task<long> SendInAppAsync(this TaskApiFactory api, string title, params string[] userIds) =>
        (await api.CreateClient().CreateNotificationAsync(InApp(title, userIds))).Id();

    /// <summary>An in-app notification titled <paramref name="title"/> to be sent in an hour: its deliveries wait, not in the feed yet.</summary>
    public static async Task<ScheduledInApp> ScheduleInAppAsync(this TaskApiFactory api, string title, params string[] userIds)
    {
        var sendAt = DateTimeOffset.UtcNow.AddHours(1).TruncateToMicroseconds();
        var body = InApp(title, userIds);
        body["sendAt"] = sendAt.ToString("O");
        return new ScheduledInApp((await api.CreateClient().CreateNotificationAsync(body)).Id(), sendAt);
    }

    /// <summary>Releases a scheduled notification's due record as the Scheduler would at its time, and waits until it was handled.</summary>
    public static async Task ReleaseAsync(this TaskApiFactory api, ScheduledInApp scheduled)
    {
        using var scenario = new NotificationScenario(api);
        await scenario.DueAsync(scheduled.Id, scheduled.SendAt);
        await scenario.DueRecordsHandledAsync(scheduled.Id);
    }

    private static JsonObject InApp(string title, string[] userIds)
    {
        var body = NotificationTesting.Body(userIds, "inApp");
        body["title"] = title;
        return body;
    }

    public static IEnumerable<JsonElement> Items(this JsonElement page) => page.GetProperty("items").EnumerateArray();

    public static string Title(this JsonElement item) => item.GetProperty("title").GetString()!;
}

/// <summary>A notification created with a send time ahead.</summary>
public sealed record ScheduledInApp(long Id, DateTimeOffset SendAt);

/// <summary>An open <c>GET /me/notifications/stream</c>, read event by event (comments skipped, as an EventSource does).</summary>
public sealed class FeedStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _events;

    private FeedStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    /// <summary>Opens a stream with <paramref name="client"/>; answers once its headers arrived (it is then registered).</summary>
    public static async Task<FeedStream> OpenAsync(HttpClient client, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me/notifications/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        using var headersTimeout = new CancellationTokenSource(FeedTesting.EventTimeout);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);
        // The body is read for the message only when it is not the stream, which never ends.
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"The stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new FeedStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, which must come within <paramref name="timeout"/> (<see cref="FeedTesting.EventTimeout"/> by default).</summary>
    public async Task<SseItem<string>> NextAsync(TimeSpan? timeout = null)
    {
        var next = _events.MoveNextAsync().AsTask();
        var waited = timeout ?? FeedTesting.EventTimeout;
        if (await Task.WhenAny(next, Task.Delay(waited)) != next)
        {
            throw new TimeoutException($"No event within {waited}.");
        }
        Assert.True(await next, "The stream ended.");
        return _events.Current;
    }

    /// <summary>The next event's item (asserting its type) and its event id.</summary>
    public async Task<(JsonElement Item, long EventId)> NextItemAsync()
    {
        var sse = await NextAsync();
        Assert.Equal("notification", sse.EventType);
        return (JsonDocument.Parse(sse.Data).RootElement, long.Parse(sse.EventId!));
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _events.DisposeAsync();
        }
        catch (Exception failure) when (failure is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
        {
            // The connection was closed under the parser: what disposing a stream means.
        }
    }
}

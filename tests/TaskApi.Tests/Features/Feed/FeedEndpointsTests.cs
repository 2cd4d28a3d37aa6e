using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Feed;

/// <summary>
/// The feed's list, unread count, read and read-all (<c>Features/Feed/ListFeed</c>, <c>CountUnread</c>, <c>MarkRead</c>,
/// <c>MarkAllRead</c>): each user sees and changes only their own notifications that reached the feed.
/// </summary>
[Collection(FeedCollection.Name)]
public sealed class FeedEndpointsTests(FeedApiFactory api)
{
    [Fact]
    public async Task List_TwoUsers_EachSeesOnlyTheirOwnSentOnesNewestFirst()
    {
        var (alice, bob) = (await api.NewUserAsync(), await api.NewUserAsync());
        await api.SendInAppAsync("for both", alice, bob);
        await api.SendInAppAsync("for alice", alice);
        await api.SendInAppAsync("for bob", bob);
        // Created, not sent yet: not in the feed.
        await api.ScheduleInAppAsync("pending", alice);
        using var client = api.UserClient(alice);

        var page = await client.GetFromJsonAsync<JsonElement>("/me/notifications");

        Assert.Equal(["for alice", "for both"], page.Items().Select(item => item.Title()));
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        var first = page.Items().First();
        Assert.Equal("Order 42 is on its way.", first.GetProperty("text").GetString());
        Assert.NotEqual(JsonValueKind.Null, first.GetProperty("sentAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("readAt").ValueKind);
    }

    [Fact]
    public async Task MarkRead_OwnNotification_ReadOnceAndTheCountAndFiltersFollow()
    {
        var userId = await api.NewUserAsync();
        await api.SendInAppAsync("first", userId);
        await api.SendInAppAsync("second", userId);
        using var client = api.UserClient(userId);
        var firstId = (await client.GetFromJsonAsync<JsonElement>("/me/notifications")).Items().Single(item => item.Title() == "first").GetProperty("id").GetInt64();
        Assert.Equal(2, await UnreadAsync(client));

        var read = await client.PostAsync($"/me/notifications/{firstId}/read", null);
        var readAgain = await client.PostAsync($"/me/notifications/{firstId}/read", null);

        var readAt = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("readAt").GetDateTimeOffset();
        Assert.Equal(readAt, (await readAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("readAt").GetDateTimeOffset());
        Assert.Equal(1, await UnreadAsync(client));
        Assert.Equal(["second"], (await client.GetFromJsonAsync<JsonElement>("/me/notifications?unread=true")).Items().Select(item => item.Title()));
        var readOnes = (await client.GetFromJsonAsync<JsonElement>("/me/notifications?unread=false")).Items().ToList();
        Assert.Equal(["first"], readOnes.Select(item => item.Title()));
        Assert.Equal(readAt, readOnes[0].GetProperty("readAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task MarkRead_AnotherUsersOrAnUnknownId_Answers404AndChangesNothing()
    {
        var (owner, other) = (await api.NewUserAsync(), await api.NewUserAsync());
        await api.SendInAppAsync("mine", owner);
        using var ownerClient = api.UserClient(owner);
        var id = (await ownerClient.GetFromJsonAsync<JsonElement>("/me/notifications")).Items().Single().GetProperty("id").GetInt64();
        using var otherClient = api.UserClient(other);

        await (await otherClient.PostAsync($"/me/notifications/{id}/read", null)).ReadProblemAsync(404);
        await (await otherClient.PostAsync($"/me/notifications/{long.MaxValue}/read", null)).ReadProblemAsync(404);

        Assert.Equal(1, await UnreadAsync(ownerClient));
    }

    [Fact]
    public async Task MarkAllRead_SomeUnread_AnswersHowManyAndLeavesOthersFeedsAlone()
    {
        var (userId, other) = (await api.NewUserAsync(), await api.NewUserAsync());
        await api.SendInAppAsync("one", userId, other);
        await api.SendInAppAsync("two", userId);
        await api.SendInAppAsync("three", userId);
        using var client = api.UserClient(userId);
        var oneId = (await client.GetFromJsonAsync<JsonElement>("/me/notifications")).Items().Single(item => item.Title() == "one").GetProperty("id").GetInt64();
        (await client.PostAsync($"/me/notifications/{oneId}/read", null)).EnsureSuccessStatusCode();

        var answer = await (await client.PostAsync("/me/notifications/read-all", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(2, answer.GetProperty("read").GetInt32());
        Assert.Equal(0, await UnreadAsync(client));
        using var otherClient = api.UserClient(other);
        Assert.Equal(1, await UnreadAsync(otherClient));
    }

    [Fact]
    public async Task List_PageOutOfBounds_Answers400NamingIt()
    {
        using var client = api.UserClient(await api.NewUserAsync());

        var errors = await (await client.GetAsync("/me/notifications?pageSize=101")).ReadFieldErrorsAsync("pageSize");

        Assert.NotEmpty(errors);
    }

    private static async Task<long> UnreadAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/me/notifications/unread-count")).GetProperty("unread").GetInt64();
}

using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Tests.Features.Users;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Notifications;

/// <summary>
/// Reading notifications (GET one, the list, a notification's deliveries): an app sees only its own, operators all; the
/// lists' filters and paging.
/// </summary>
public sealed class NotificationVisibilityTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_AnotherAppsNotification_Returns404ButOperatorsSeeIt()
    {
        var owner = await api.NewAppAsync(Scopes.Notifications);
        var other = await api.NewAppAsync(Scopes.Notifications);
        var created = await owner.Http.CreateNotificationAsync(NotificationTesting.Body([UserTesting.NewUserId()]));

        await (await other.Http.GetAsync($"/notifications/{created.Id()}")).ReadProblemAsync(404);
        await (await other.Http.GetAsync($"/notifications/{created.Id()}/deliveries")).ReadProblemAsync(404);
        var seen = await _client.GetFromJsonAsync<JsonElement>($"/notifications/{created.Id()}");
        Assert.Equal((created.Id(), owner.Id), (seen.Id(), seen.GetProperty("createdBy").GetString()));
        Assert.Equal(1, seen.Count("sms", "skipped"));
    }

    [Fact]
    public async Task List_AsApp_ListsOnlyItsOwnNewestFirstAndByStatus()
    {
        var app = await api.NewAppAsync(Scopes.Notifications);
        var other = await api.NewAppAsync(Scopes.Notifications);
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { email = "listed@example.com" });
        var done = await app.Http.CreateNotificationAsync(NotificationTesting.Body([UserTesting.NewUserId()]));
        var sending = await app.Http.CreateNotificationAsync(NotificationTesting.Body([userId], "email"));
        await other.Http.CreateNotificationAsync(NotificationTesting.Body([userId], "email"));

        var all = await app.Http.GetFromJsonAsync<JsonElement>("/notifications");
        var onlySending = await app.Http.GetFromJsonAsync<JsonElement>("/notifications?status=sending");

        Assert.Equal([sending.Id(), done.Id()], all.GetProperty("items").EnumerateArray().Select(n => n.Id()));
        Assert.Equal(2, all.GetProperty("total").GetInt64());
        Assert.Equal([sending.Id()], onlySending.GetProperty("items").EnumerateArray().Select(n => n.Id()));
        var operatorsList = await _client.GetFromJsonAsync<JsonElement>("/notifications?pageSize=100");
        Assert.True(operatorsList.GetProperty("total").GetInt64() >= 3);
    }

    [Fact]
    public async Task ListDeliveries_ByChannelAndStatusAndCursor_PagesTheMatchingInIdOrder()
    {
        var users = Enumerable.Range(0, 5).Select(_ => UserTesting.NewUserId()).ToList();
        foreach (var userId in users.Take(3))
        {
            await _client.PutUserAsync(userId, new { email = $"{userId}@example.com" });
        }
        var created = await _client.CreateNotificationAsync(NotificationTesting.Body(users, "email", "sms"));
        var path = $"/notifications/{created.Id()}/deliveries";

        var firstPage = await _client.GetFromJsonAsync<JsonElement>($"{path}?channel=email&status=pending&pageSize=2");
        var next = firstPage.GetProperty("nextAfter").GetInt64();
        var secondPage = await _client.GetFromJsonAsync<JsonElement>($"{path}?channel=email&status=pending&pageSize=2&after={next}");
        var skippedSms = await _client.GetFromJsonAsync<JsonElement>($"{path}?channel=sms&status=skipped");

        var pending = firstPage.GetProperty("items").EnumerateArray().Concat(secondPage.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(users.Take(3), pending.Select(d => d.GetProperty("userId").GetString()));
        Assert.All(pending, d => Assert.Equal(("email", "pending"), (d.GetProperty("channel").GetString(), d.GetProperty("status").GetString())));
        Assert.Equal($"{users[0]}@example.com", pending[0].GetProperty("address").GetString());
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("nextAfter").ValueKind);
        var sms = skippedSms.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, sms.Count);
        Assert.All(sms, d => Assert.Equal(("sms", "no_address"), (d.GetProperty("channel").GetString(), d.GetProperty("reason").GetString())));
    }

    [Theory]
    [InlineData("/notifications?status=sent", "status")]
    [InlineData("/notifications?page=0", "page")]
    [InlineData("/notifications/1/deliveries?channel=in_app", "channel")]
    [InlineData("/notifications/1/deliveries?status=done", "status")]
    [InlineData("/notifications/1/deliveries?page=2&after=5", "page")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string url, string field)
    {
        await (await _client.GetAsync(url)).ReadFieldErrorsAsync(field);
    }
}
